package dev.quma.envoyrules;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The message types an {@code Any} may hold in Quma's config, the ones this module has validators
 * for. PGV does not look inside an {@code Any}; Envoy does (it unpacks a filter's typed_config with
 * the factory registered for its type and validates that). An {@code Any} of any other type is
 * reported: Envoy would refuse a type it has no extension for, and the judge cannot vouch for one
 * it has no rules for.
 */
final class KnownTypes {
  private static final Map<String, Message> BY_URL =
      Stream.<Message>of(
              Bootstrap.getDefaultInstance(),
              Cluster.getDefaultInstance(),
              ClusterLoadAssignment.getDefaultInstance(),
              Listener.getDefaultInstance(),
              RouteConfiguration.getDefaultInstance(),
              Secret.getDefaultInstance(),
              TcpProxy.getDefaultInstance(),
              HttpConnectionManager.getDefaultInstance(),
              Router.getDefaultInstance(),
              HttpProtocolOptions.getDefaultInstance(),
              UpstreamTlsContext.getDefaultInstance(),
              DownstreamTlsContext.getDefaultInstance())
          .collect(
              Collectors.toUnmodifiableMap(
                  m -> "type.googleapis.com/" + m.getDescriptorForType().getFullName(),
                  Function.identity()));

  private KnownTypes() {}

  /** The same types for JSON: to read a printed resource back (a bootstrap file, a dump). */
  static JsonFormat.TypeRegistry typeRegistry() {
    JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
    BY_URL.values().forEach(m -> registry.add(m.getDescriptorForType()));
    return registry.build();
  }

  /** The message inside {@code any}, or empty when its type is not one of these. */
  static Optional<Message> unpack(Any any) throws InvalidProtocolBufferException {
    Message prototype = BY_URL.get(any.getTypeUrl());
    if (prototype == null) {
      return Optional.empty();
    }
    return Optional.of(prototype.getParserForType().parseFrom(any.getValue()));
  }
}
