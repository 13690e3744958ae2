package dev.quma.xds.dump;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.quma.xds.streams.ConfigMemory;
import dev.quma.xds.streams.ConfigMemory.Held;
import dev.quma.xds.streams.ConfigMemory.Named;
import dev.quma.xds.streams.ConfigMemory.Rejection;
import dev.quma.xds.streams.ConfigMemory.Sent;
import dev.quma.xds.streams.ConfigMemory.TypeView;
import dev.quma.xds.streams.StreamSession;
import io.envoyproxy.envoy.admin.v3.ClientResourceStatus;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.UpdateFailureState;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders what a stream's {@link ConfigMemory} holds as Envoy's admin {@code /config_dump} JSON
 * (snake_case field names, typed configs resolved): {@code configs} with the clusters, listeners,
 * routes (when the stream carried any) and, on request, endpoints that the proxy acknowledged, each
 * with {@code version_info}, {@code last_updated} and {@code client_status}. A rejected update
 * shows where Envoy shows it: {@code error_state} (the failed configuration, its version, Envoy's
 * message) on the resources it would have added or changed. Beside {@code configs}, {@code quma}
 * adds what only the control plane knows: the stream, and per type the versions and nonces last
 * sent, acknowledged and rejected.
 */
public final class ConfigDumpRenderer {
  static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String ROUTES = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  static final String ENDPOINTS =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .preservingProtoFieldNames()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(ConfigDump.getDescriptor())
                  .add(ClustersConfigDump.getDescriptor())
                  .add(ListenersConfigDump.getDescriptor())
                  .add(RoutesConfigDump.getDescriptor())
                  .add(EndpointsConfigDump.getDescriptor())
                  .add(Cluster.getDescriptor())
                  .add(Listener.getDescriptor())
                  .add(RouteConfiguration.getDescriptor())
                  .add(ClusterLoadAssignment.getDescriptor())
                  .add(TcpProxy.getDescriptor())
                  .add(HttpConnectionManager.getDescriptor())
                  .add(Router.getDescriptor())
                  .add(HttpProtocolOptions.getDescriptor())
                  .build());

  private final ObjectMapper json = new ObjectMapper();

  /** The dump of one stream; endpoints only with {@code includeEndpoints}. */
  public String render(StreamSession session, boolean includeEndpoints) {
    Map<String, TypeView> views = new LinkedHashMap<>();
    for (TypeView view : session.config().view()) {
      views.put(view.typeUrl(), view);
    }
    ConfigDump.Builder dump = ConfigDump.newBuilder();
    dump.addConfigs(Any.pack(clusters(views.get(CLUSTERS))));
    dump.addConfigs(Any.pack(listeners(views.get(LISTENERS))));
    if (views.containsKey(ROUTES)) {
      dump.addConfigs(Any.pack(routes(views.get(ROUTES))));
    }
    if (includeEndpoints) {
      dump.addConfigs(Any.pack(endpoints(views.get(ENDPOINTS))));
    }
    try {
      ObjectNode root = (ObjectNode) json.readTree(PRINTER.print(dump));
      root.set("quma", stream(session, views.values()));
      return json.writeValueAsString(root);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the config holds a type the dump cannot print", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ClustersConfigDump clusters(TypeView view) {
    ClustersConfigDump.Builder out = ClustersConfigDump.newBuilder();
    if (view == null) {
      return out.build();
    }
    out.setVersionInfo(view.ackedVersion());
    Map<String, ClustersConfigDump.DynamicCluster.Builder> byName = new LinkedHashMap<>();
    for (Held held : view.held()) {
      byName.put(
          held.name(),
          ClustersConfigDump.DynamicCluster.newBuilder()
              .setVersionInfo(held.version())
              .setCluster(held.resource())
              .setLastUpdated(timestamp(held.lastUpdated()))
              .setClientStatus(ClientResourceStatus.ACKED));
    }
    for (Named failed : failedResources(view)) {
      byName
          .computeIfAbsent(failed.name(), name -> ClustersConfigDump.DynamicCluster.newBuilder())
          .setErrorState(failure(view.lastRejection(), failed))
          .setClientStatus(ClientResourceStatus.NACKED);
    }
    byName.values().forEach(cluster -> out.addDynamicActiveClusters(cluster));
    return out.build();
  }

  private static ListenersConfigDump listeners(TypeView view) {
    ListenersConfigDump.Builder out = ListenersConfigDump.newBuilder();
    if (view == null) {
      return out.build();
    }
    out.setVersionInfo(view.ackedVersion());
    Map<String, ListenersConfigDump.DynamicListener.Builder> byName = new LinkedHashMap<>();
    for (Held held : view.held()) {
      byName.put(
          held.name(),
          ListenersConfigDump.DynamicListener.newBuilder()
              .setName(held.name())
              .setActiveState(
                  ListenersConfigDump.DynamicListenerState.newBuilder()
                      .setVersionInfo(held.version())
                      .setListener(held.resource())
                      .setLastUpdated(timestamp(held.lastUpdated())))
              .setClientStatus(ClientResourceStatus.ACKED));
    }
    for (Named failed : failedResources(view)) {
      byName
          .computeIfAbsent(
              failed.name(), name -> ListenersConfigDump.DynamicListener.newBuilder().setName(name))
          .setErrorState(failure(view.lastRejection(), failed))
          .setClientStatus(ClientResourceStatus.NACKED);
    }
    byName.values().forEach(listener -> out.addDynamicListeners(listener));
    return out.build();
  }

  private static RoutesConfigDump routes(TypeView view) {
    RoutesConfigDump.Builder out = RoutesConfigDump.newBuilder();
    Map<String, RoutesConfigDump.DynamicRouteConfig.Builder> byName = new LinkedHashMap<>();
    for (Held held : view.held()) {
      byName.put(
          held.name(),
          RoutesConfigDump.DynamicRouteConfig.newBuilder()
              .setVersionInfo(held.version())
              .setRouteConfig(held.resource())
              .setLastUpdated(timestamp(held.lastUpdated()))
              .setClientStatus(ClientResourceStatus.ACKED));
    }
    for (Named failed : failedResources(view)) {
      byName
          .computeIfAbsent(failed.name(), name -> RoutesConfigDump.DynamicRouteConfig.newBuilder())
          .setErrorState(failure(view.lastRejection(), failed))
          .setClientStatus(ClientResourceStatus.NACKED);
    }
    byName.values().forEach(route -> out.addDynamicRouteConfigs(route));
    return out.build();
  }

  private static EndpointsConfigDump endpoints(TypeView view) {
    EndpointsConfigDump.Builder out = EndpointsConfigDump.newBuilder();
    if (view == null) {
      return out.build();
    }
    Map<String, EndpointsConfigDump.DynamicEndpointConfig.Builder> byName = new LinkedHashMap<>();
    for (Held held : view.held()) {
      byName.put(
          held.name(),
          EndpointsConfigDump.DynamicEndpointConfig.newBuilder()
              .setVersionInfo(held.version())
              .setEndpointConfig(held.resource())
              .setLastUpdated(timestamp(held.lastUpdated()))
              .setClientStatus(ClientResourceStatus.ACKED));
    }
    for (Named failed : failedResources(view)) {
      byName
          .computeIfAbsent(
              failed.name(), name -> EndpointsConfigDump.DynamicEndpointConfig.newBuilder())
          .setErrorState(failure(view.lastRejection(), failed))
          .setClientStatus(ClientResourceStatus.NACKED);
    }
    byName.values().forEach(endpoint -> out.addDynamicEndpointConfigs(endpoint));
    return out.build();
  }

  /**
   * The resources a rejection failed to add or change: those of the rejected response that the
   * proxy does not hold as they were sent. None when the proxy acknowledged a response since.
   */
  static List<Named> failedResources(TypeView view) {
    Rejection rejection = view.lastRejection();
    if (rejection == null
        || rejection.sent() == null
        || (view.ackedAt() != null && view.ackedAt().isAfter(rejection.at()))) {
      return List.of();
    }
    Map<String, Any> held = new LinkedHashMap<>();
    view.held().forEach(h -> held.put(h.name(), h.resource()));
    return rejection.sent().resources().stream()
        .filter(named -> !named.resource().equals(held.get(named.name())))
        .toList();
  }

  private static UpdateFailureState failure(Rejection rejection, Named failed) {
    return UpdateFailureState.newBuilder()
        .setFailedConfiguration(failed.resource())
        .setLastUpdateAttempt(timestamp(rejection.at()))
        .setDetails(rejection.message())
        .setVersionInfo(rejection.version())
        .build();
  }

  private ObjectNode stream(StreamSession session, Iterable<TypeView> views) {
    var subscription = session.subscription(null);
    ObjectNode out = json.createObjectNode();
    out.put("dataplane", session.key().nodeId());
    out.put("controlPlaneInstanceId", subscription.controlPlaneInstanceId());
    out.put("subscriptionId", subscription.id());
    out.put(
        "protocol", session.config().protocol() == ConfigMemory.Protocol.SOTW ? "SotW" : "Delta");
    out.put("connectTime", subscription.connectTime().toString());
    ArrayNode types = out.putArray("types");
    for (TypeView view : views) {
      ObjectNode type = types.addObject();
      type.put("typeUrl", view.typeUrl());
      ObjectNode acked = type.putObject("acknowledged");
      acked.put("version", view.ackedVersion());
      acked.put("nonce", view.ackedNonce());
      putTime(acked, "time", view.ackedAt());
      acked.put("resources", view.held().size());
      Sent sent = view.lastSent();
      if (sent != null) {
        ObjectNode last = type.putObject("lastSent");
        last.put("version", sent.version());
        last.put("nonce", sent.nonce());
        putTime(last, "time", sent.at());
        last.put("resources", sent.resources().size());
        if (!sent.removed().isEmpty()) {
          last.put("removed", sent.removed().size());
        }
      }
      Rejection rejection = view.lastRejection();
      if (rejection != null) {
        ObjectNode nack = type.putObject("lastRejected");
        nack.put("version", rejection.version());
        nack.put("nonce", rejection.nonce());
        putTime(nack, "time", rejection.at());
        nack.put("message", rejection.message());
      }
    }
    return out;
  }

  private static void putTime(ObjectNode node, String field, Instant time) {
    if (time == null) {
      node.putNull(field);
    } else {
      node.put(field, time.toString());
    }
  }

  private static Timestamp timestamp(Instant time) {
    return Timestamp.newBuilder()
        .setSeconds(time.getEpochSecond())
        .setNanos(time.getNano())
        .build();
  }
}
