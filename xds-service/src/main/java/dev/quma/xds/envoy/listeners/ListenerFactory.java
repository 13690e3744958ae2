package dev.quma.xds.envoy.listeners;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.quma.xds.envoy.EnvoyAny;
import dev.quma.xds.envoy.Protocol;
import dev.quma.xds.envoy.SocketAddresses;
import dev.quma.xds.envoy.names.EnvoyNames;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Listeners: an inbound one per inbound interface (to the local application's cluster), an outbound
 * one per outbound (to the target's EDS cluster). TCP, Kafka and unknown protocols get a TCP proxy;
 * HTTP, HTTP/2 and gRPC an HTTP connection manager with one route to the cluster.
 *
 * <p>Each kind of listener is built from exactly one input record, which holds everything the
 * listener depends on; the generator's memo is keyed by that record, so an input the listener
 * depends on cannot be missing from the key.
 */
public final class ListenerFactory {
  private ListenerFactory() {}

  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
  static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
  static final String ROUTER = "envoy.filters.http.router";
  private static final Duration IDLE_TIMEOUT = Duration.newBuilder().setSeconds(7200).build();
  private static final Duration STREAM_IDLE_TIMEOUT =
      Duration.newBuilder().setSeconds(3600).build();

  /**
   * An inbound listener: on the inbound's address and port, to the local application's cluster,
   * annotated with the inbound's tags.
   */
  public record InboundInput(
      String address,
      int port,
      String localCluster,
      String service,
      Protocol protocol,
      SortedMap<String, String> tags) {
    public InboundInput {
      tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }
  }

  /** An outbound listener: on the outbound's address and port, to its target's cluster. */
  public record OutboundInput(String address, int port, String cluster, Protocol protocol) {}

  /**
   * The metrics listener: on the dataplane's address and the metrics port, {@code path} answered by
   * the proxy's own admin ({@code /stats/prometheus}, through the admin cluster).
   */
  public record PrometheusInput(String address, int port, String path, String adminCluster) {}

  public static Listener inbound(InboundInput in) {
    String statPrefix = EnvoyNames.stat(in.localCluster());
    Filter filter =
        in.protocol().http()
            ? httpConnectionManager(
                statPrefix, EnvoyNames.inboundRoute(in.service()), in.service(), in.localCluster())
            : tcpProxy(statPrefix, in.localCluster());
    return Listener.newBuilder()
        .setName(EnvoyNames.inboundListener(in.address(), in.port()))
        .setAddress(SocketAddresses.of(in.address(), in.port()))
        .setTrafficDirection(TrafficDirection.INBOUND)
        .setEnableReusePort(com.google.protobuf.BoolValue.of(false))
        .addFilterChains(FilterChain.newBuilder().addFilters(filter))
        .setMetadata(tagsMetadata(in.tags()))
        .build();
  }

  public static Listener outbound(OutboundInput in) {
    String cluster = in.cluster();
    String statPrefix = EnvoyNames.stat(cluster);
    Filter filter =
        in.protocol().http()
            ? httpConnectionManager(statPrefix, EnvoyNames.outboundRoute(cluster), cluster, cluster)
            : tcpProxy(statPrefix, cluster);
    return Listener.newBuilder()
        .setName(EnvoyNames.outboundListener(in.address(), in.port()))
        .setAddress(SocketAddresses.of(in.address(), in.port()))
        .setTrafficDirection(TrafficDirection.OUTBOUND)
        .addFilterChains(FilterChain.newBuilder().addFilters(filter))
        .build();
  }

  /**
   * Kuma's {@code kuma:metrics:prometheus}: what Prometheus scrapes on the proxy. Requests under
   * the path go to Envoy's admin with the path rewritten to {@code /stats/prometheus}; the admin
   * itself stays on loopback.
   */
  public static Listener prometheus(PrometheusInput in) {
    String name = EnvoyNames.METRICS_LISTENER;
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName(name)
            .setValidateClusters(com.google.protobuf.BoolValue.of(false))
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName(name)
                    .addDomains("*")
                    .addRoutes(
                        Route.newBuilder()
                            .setMatch(RouteMatch.newBuilder().setPrefix(in.path()))
                            .setRoute(
                                RouteAction.newBuilder()
                                    .setCluster(in.adminCluster())
                                    .setPrefixRewrite(PROMETHEUS_STATS))))
            .build();
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(EnvoyNames.stat(name))
            .setRouteConfig(routes)
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName(ROUTER)
                    .setTypedConfig(EnvoyAny.pack(Router.getDefaultInstance())))
            .build();
    return Listener.newBuilder()
        .setName(name)
        .setAddress(SocketAddresses.of(in.address(), in.port()))
        .setTrafficDirection(TrafficDirection.INBOUND)
        .setEnableReusePort(com.google.protobuf.BoolValue.of(false))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName(HTTP_CONNECTION_MANAGER)
                        .setTypedConfig(EnvoyAny.pack(manager))))
        .build();
  }

  /** Envoy's admin path of its Prometheus-format stats. */
  static final String PROMETHEUS_STATS = "/stats/prometheus";

  private static Filter tcpProxy(String statPrefix, String cluster) {
    TcpProxy proxy =
        TcpProxy.newBuilder()
            .setStatPrefix(statPrefix)
            .setCluster(cluster)
            .setIdleTimeout(IDLE_TIMEOUT)
            .build();
    return Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(EnvoyAny.pack(proxy)).build();
  }

  private static Filter httpConnectionManager(
      String statPrefix, String routeName, String virtualHost, String cluster) {
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName(routeName)
            .setValidateClusters(com.google.protobuf.BoolValue.of(false))
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName(virtualHost)
                    .addDomains("*")
                    .addRoutes(
                        Route.newBuilder()
                            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                            .setRoute(
                                RouteAction.newBuilder()
                                    .setCluster(cluster)
                                    .setTimeout(Duration.newBuilder().setSeconds(0)))))
            .build();
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(statPrefix)
            .setCommonHttpProtocolOptions(
                HttpProtocolOptions.newBuilder().setIdleTimeout(IDLE_TIMEOUT))
            .setStreamIdleTimeout(STREAM_IDLE_TIMEOUT)
            .setRouteConfig(routes)
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName(ROUTER)
                    .setTypedConfig(EnvoyAny.pack(Router.getDefaultInstance())))
            .build();
    return Filter.newBuilder()
        .setName(HTTP_CONNECTION_MANAGER)
        .setTypedConfig(EnvoyAny.pack(manager))
        .build();
  }

  /** The inbound's tags under {@code io.kuma.tags}, as Kuma annotates its listeners. */
  private static Metadata tagsMetadata(Map<String, String> tags) {
    Struct.Builder struct = Struct.newBuilder();
    tags.forEach(
        (key, value) -> struct.putFields(key, Value.newBuilder().setStringValue(value).build()));
    return Metadata.newBuilder().putFilterMetadata("io.kuma.tags", struct.build()).build();
  }
}
