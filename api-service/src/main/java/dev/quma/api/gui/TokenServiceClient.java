package dev.quma.api.gui;

import dev.quma.api.ApiConfig;
import dev.quma.http.errors.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * Forwards a GUI request to the token-service on the caller's behalf. The token-service trusts
 * loopback callers as admins, and this service calls it from the same host; so a forwarded request
 * carries the caller's own {@code Authorization} and nothing else of theirs, and always {@code
 * X-Forwarded-For} naming the caller, which makes the token-service treat it as relayed, never as
 * local. A remote GUI user thus gets exactly the rights of their own user token there.
 */
@ApplicationScoped
public class TokenServiceClient {
  static final String UNREACHABLE = "Could not reach the token service";

  private final HttpClient client;
  private final URI base;
  private final long timeoutMillis;

  public TokenServiceClient(Vertx vertx, ApiConfig config) {
    this.timeoutMillis = Math.max(1, config.tokenServiceTimeout().toMillis());
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis)));
    String url = config.tokenServiceUrl();
    this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }

  /**
   * Sends {@code method path} (path and query, already encoded) with {@code body} (null: none) and
   * answers the token-service's status, type and body as they are.
   */
  public Uni<Response> forward(
      HttpMethod method, String pathAndQuery, String authorization, String callerIp, byte[] body) {
    return forward(method, pathAndQuery, MediaType.APPLICATION_JSON, authorization, callerIp, body);
  }

  /** As above, asking for {@code accept} (Kuma's token endpoint answers text). */
  public Uni<Response> forward(
      HttpMethod method,
      String pathAndQuery,
      String accept,
      String authorization,
      String callerIp,
      byte[] body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(base + pathAndQuery)
            .setIdleTimeout(timeoutMillis)
            .putHeader(HttpHeaders.ACCEPT, accept)
            .putHeader("X-Forwarded-For", callerIp);
    if (authorization != null && !authorization.isBlank()) {
      options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    if (body != null) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
    }
    return client
        .request(options)
        .flatMap(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
        .flatMap(
            response ->
                response
                    .body()
                    .map(
                        content -> {
                          String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
                          return Response.status(response.statusCode())
                              .type(type == null ? MediaType.APPLICATION_JSON : type)
                              .entity(content.getBytes())
                              .build();
                        }))
        .onFailure()
        .transform(
            e ->
                new ApiException(
                    502,
                    UNREACHABLE,
                    "the token service at " + base + " does not answer; is it running?"));
  }
}
