package dev.quma.xds.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Puts the stream's {@code authorization} metadata (the dataplane token, sent by Envoy as initial
 * metadata of the ADS stream, as Kuma's bootstrap configures it) into the gRPC context.
 */
@GlobalInterceptor
@ApplicationScoped
public class DataplaneTokenInterceptor implements ServerInterceptor {
  static final Context.Key<String> TOKEN = Context.key("dataplane-token");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The token of the stream being opened (on the thread that opens it); null for none. */
  public static String currentToken() {
    return TOKEN.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String value = headers.get(AUTHORIZATION);
    if (value != null && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      value = value.substring(7);
    }
    return Contexts.interceptCall(
        Context.current().withValue(TOKEN, value == null ? null : value.trim()),
        call,
        headers,
        next);
  }
}
