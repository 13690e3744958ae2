package dev.quma.envoyrules;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvoyRulesTest {
  private static Cluster eds(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(Durations.fromSeconds(5))
        .setEdsClusterConfig(
            Cluster.EdsClusterConfig.newBuilder()
                .setEdsConfig(
                    ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())))
        .build();
  }

  private static Listener tcpListener(String name, TcpProxy tcp) {
    return Listener.newBuilder()
        .setName(name)
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName("envoy.filters.network.tcp_proxy")
                        .setTypedConfig(Any.pack(tcp))))
        .build();
  }

  @Test
  void aValidResourceHasNoViolations() {
    assertThat(EnvoyRules.check(eds("redis"))).isEmpty();
  }

  @Test
  void aBrokenFieldRuleIsReportedWithItsPath() {
    Cluster cluster = eds("redis").toBuilder().setConnectTimeout(Durations.fromSeconds(0)).build();

    List<Violation> violations = EnvoyRules.check(cluster);

    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).resource()).isEqualTo("Cluster redis");
    assertThat(violations.get(0).path()).isEmpty();
    assertThat(violations.get(0).rule())
        .contains("Cluster.connect_timeout")
        .contains("greater than");
  }

  @Test
  void rulesAreCheckedInsideAnAnyAndEveryBrokenOneIsReportedOnce() {
    TcpProxy noPrefix = TcpProxy.newBuilder().setCluster("redis").build();
    Listener listener =
        tcpListener("outbound:127.0.0.1:10001", noPrefix).toBuilder()
            .addFilterChains(
                FilterChain.newBuilder()
                    .addFilters(
                        Filter.newBuilder()
                            .setName("envoy.filters.network.tcp_proxy")
                            .setTypedConfig(Any.pack(noPrefix))))
            .build();

    List<Violation> violations = EnvoyRules.check(listener);

    assertThat(violations)
        .extracting(Violation::path)
        .containsExactly(
            "filter_chains[0].filters[0].typed_config(TcpProxy)",
            "filter_chains[1].filters[0].typed_config(TcpProxy)");
    assertThat(violations.get(0).rule()).contains("TcpProxy.stat_prefix");
  }

  @Test
  void anAnyOfATypeWithoutRulesIsReported() {
    Listener listener =
        Listener.newBuilder()
            .setName("l")
            .addFilterChains(
                FilterChain.newBuilder()
                    .addFilters(
                        Filter.newBuilder()
                            .setName("odd")
                            .setTypedConfig(Any.pack(Durations.fromSeconds(1)))))
            .build();

    assertThat(EnvoyRules.check(listener))
        .extracting(Violation::rule)
        .containsExactly(
            "no rules known for the type type.googleapis.com/google.protobuf.Duration");
  }

  @Test
  void aResourceOfATypeWithoutGeneratedValidatorsIsReported() {
    // Outside the generated packages: passing it silently would hide a judge that sees nothing.
    var health = io.envoyproxy.envoy.service.health.v3.HealthCheckRequest.getDefaultInstance();

    assertThat(EnvoyRules.check(health))
        .extracting(Violation::rule)
        .containsExactly("no validator generated for envoy.service.health.v3.HealthCheckRequest");
  }

  @Test
  void aPushMustHoldWhatItsListenersAndRoutesName() {
    TcpProxy tcp = TcpProxy.newBuilder().setStatPrefix("redis").setCluster("redis").build();
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName("web")
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName("web")
                    .addDomains("*")
                    .addRoutes(
                        Route.newBuilder()
                            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                            .setRoute(RouteAction.newBuilder().setCluster("web"))))
            .build();
    HttpConnectionManager rds =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("web")
            .setRds(
                Rds.newBuilder()
                    .setRouteConfigName("missing")
                    .setConfigSource(
                        ConfigSource.newBuilder()
                            .setAds(AggregatedConfigSource.getDefaultInstance())))
            .build();
    Listener http =
        Listener.newBuilder()
            .setName("http")
            .addFilterChains(
                FilterChain.newBuilder()
                    .addFilters(
                        Filter.newBuilder()
                            .setName("envoy.filters.network.http_connection_manager")
                            .setTypedConfig(Any.pack(rds))))
            .build();

    List<Violation> violations =
        EnvoyRules.checkPush(
            List.of(
                tcpListener("tcp", tcp),
                tcpListener("tcp", tcp),
                http,
                routes,
                eds("other"),
                ClusterLoadAssignment.newBuilder().setClusterName("other").build()));

    assertThat(violations)
        .extracting(Violation::toString)
        .containsExactlyInAnyOrder(
            "Listener tcp: another Listener has this name",
            "Listener tcp at filter_chains[0].filters[0].typed_config(TcpProxy).cluster:"
                + " no Cluster named \"redis\" in the same push",
            "Listener tcp at filter_chains[0].filters[0].typed_config(TcpProxy).cluster:"
                + " no Cluster named \"redis\" in the same push",
            "Listener http at filter_chains[0].filters[0].typed_config(HttpConnectionManager)"
                + ".rds.route_config_name: no RouteConfiguration named \"missing\" in the same push",
            "RouteConfiguration web at virtual_hosts[0].routes[0].route.cluster:"
                + " no Cluster named \"web\" in the same push");
  }

  @Test
  void anEdsClusterNeedsItsLoadAssignmentInThePush() {
    assertThat(EnvoyRules.checkPush(List.of(eds("redis"))))
        .extracting(Violation::toString)
        .containsExactly(
            "Cluster redis at eds_cluster_config: an EDS cluster with no ClusterLoadAssignment"
                + " named \"redis\" in the same push");
  }

  @Test
  void aBootstrapNeedsAStaticClusterForItsAds() {
    ConfigSource ads =
        ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();
    Bootstrap bootstrap =
        Bootstrap.newBuilder()
            .setDynamicResources(
                Bootstrap.DynamicResources.newBuilder()
                    .setCdsConfig(ads)
                    .setLdsConfig(ads)
                    .setAdsConfig(
                        ApiConfigSource.newBuilder()
                            .setApiType(ApiConfigSource.ApiType.GRPC)
                            .addGrpcServices(
                                GrpcService.newBuilder()
                                    .setEnvoyGrpc(
                                        GrpcService.EnvoyGrpc.newBuilder()
                                            .setClusterName("ads_cluster")))))
            .build();

    assertThat(EnvoyRules.checkBootstrap(bootstrap))
        .extracting(Violation::toString)
        .containsExactly(
            "Bootstrap at dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name:"
                + " no static cluster named \"ads_cluster\"");
  }
}
