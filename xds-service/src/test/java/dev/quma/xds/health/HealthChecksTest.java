package dev.quma.xds.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ResourceType;
import dev.quma.envoyrules.EnvoyRules;
import dev.quma.xds.testing.Seeds;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.service.health.v3.ClusterEndpointsHealth;
import io.envoyproxy.envoy.service.health.v3.ClusterHealthCheck;
import io.envoyproxy.envoy.service.health.v3.EndpointHealth;
import io.envoyproxy.envoy.service.health.v3.EndpointHealthResponse;
import io.envoyproxy.envoy.service.health.v3.LocalityEndpointsHealth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The specifier a proxy gets (judged by Envoy's rules) and how its reports read. */
class HealthChecksTest {
  private final HealthChecks checks = new HealthChecks(Duration.ofSeconds(5), ProbeDefaults.KUMA);

  @Test
  void aProbedInboundIsCheckedByTcpAtItsLocalServiceAndTheReporterByHttp() {
    HealthCheckPlan plan =
        checks.plan(spec(ServiceProbeTest.probed("m", "r", "10.0.0.1", 6379)), 9902);

    // Envoy has no validator for the specifier itself: its checks and endpoints are judged.
    for (ClusterHealthCheck cluster : plan.specifier().getClusterHealthChecksList()) {
      cluster
          .getHealthChecksList()
          .forEach(check -> assertThat(EnvoyRules.check(check)).as("Envoy's rules").isEmpty());
      cluster.getLocalityEndpointsList().stream()
          .flatMap(locality -> locality.getEndpointsList().stream())
          .forEach(
              endpoint -> assertThat(EnvoyRules.check(endpoint)).as("Envoy's rules").isEmpty());
    }
    assertThat(plan.specifier().getInterval()).isEqualTo(Durations.fromSeconds(5));
    assertThat(plan.specifier().getClusterHealthChecksList())
        .extracting(ClusterHealthCheck::getClusterName)
        .containsExactly("localhost:6379", "kuma:readiness");
    ClusterHealthCheck service = plan.specifier().getClusterHealthChecks(0);
    HealthCheck probe = service.getHealthChecks(0);
    assertThat(probe.hasTcpHealthCheck()).isTrue();
    assertThat(Durations.toMillis(probe.getInterval())).isEqualTo(100);
    assertThat(Durations.toMillis(probe.getTimeout())).isEqualTo(100);
    assertThat(
            service
                .getLocalityEndpoints(0)
                .getEndpoints(0)
                .getAddress()
                .getSocketAddress()
                .getPortValue())
        .isEqualTo(6379);
    HealthCheck readiness = plan.specifier().getClusterHealthChecks(1).getHealthChecks(0);
    assertThat(readiness.getHttpHealthCheck().getPath()).isEqualTo("/ready");
    assertThat(Durations.toMillis(readiness.getTimeout())).as("Kuma's default").isEqualTo(2000);
    assertThat(plan.inboundPorts()).isEqualTo(Map.of("localhost:6379", java.util.List.of(9000)));
  }

  @Test
  void anInboundWithoutAProbeIsNotCheckedAndNoReporterMeansNoReadinessCheck() {
    HealthCheckPlan plan = checks.plan(spec(Seeds.redis("m", "r", "10.0.0.1")), 0);

    assertThat(plan.specifier().getClusterHealthChecksList()).isEmpty();
    assertThat(plan.readiness()).isFalse();
  }

  @Test
  void proxiesWithTheSameChecksShareOnePlanAndOthersGetTheirOwn() {
    HealthCheckPlan first =
        checks.plan(spec(ServiceProbeTest.probed("m", "r-1", "10.0.0.1", 6379)), 9902);
    HealthCheckPlan second =
        checks.plan(spec(ServiceProbeTest.probed("m", "r-2", "10.0.0.2", 6379)), 9902);
    HealthCheckPlan otherService =
        checks.plan(spec(ServiceProbeTest.probed("m", "r-3", "10.0.0.3", 6380)), 9902);
    HealthCheckPlan otherReporter =
        checks.plan(spec(ServiceProbeTest.probed("m", "r-4", "10.0.0.4", 6379)), 9903);

    assertThat(second).as("the same checks of another instance").isSameAs(first);
    assertThat(otherService).isNotSameAs(first);
    assertThat(otherService.inboundPorts())
        .isEqualTo(Map.of("localhost:6380", java.util.List.of(9000)));
    assertThat(otherReporter.specifier()).isNotEqualTo(first.specifier());
  }

  @Test
  void reportsReadAsTheProxysHealthKeepingTheirTimeWhileNothingChanges() {
    HealthCheckPlan plan =
        checks.plan(spec(ServiceProbeTest.probed("m", "r", "10.0.0.1", 6379)), 9902);

    ProbeHealth first = plan.verdict(report("localhost:6379", HealthStatus.HEALTHY), null, 1_000);
    assertThat(first).isEqualTo(new ProbeHealth(1_000, true, Map.of(9000, true)));
    ProbeHealth same = plan.verdict(report("localhost:6379", HealthStatus.HEALTHY), first, 2_000);
    assertThat(same.sinceMillis()).isEqualTo(1_000);
    ProbeHealth draining =
        plan.verdict(report("kuma:readiness", HealthStatus.UNHEALTHY), same, 3_000);
    assertThat(draining).isEqualTo(new ProbeHealth(3_000, false, Map.of(9000, true)));

    Dataplane.Inbound inbound =
        spec(ServiceProbeTest.probed("m", "r", "10.0.0.1", 6379)).networking().inbound().get(0);
    assertThat(ProbeHealth.allows(first, inbound)).isTrue();
    assertThat(ProbeHealth.allows(draining, inbound)).as("the proxy is not ready").isFalse();
    assertThat(ProbeHealth.allows(null, inbound)).as("never reported").isFalse();
  }

  private static EndpointHealthResponse report(String cluster, HealthStatus status) {
    return EndpointHealthResponse.newBuilder()
        .addClusterEndpointsHealth(
            ClusterEndpointsHealth.newBuilder()
                .setClusterName(cluster)
                .addLocalityEndpointsHealth(
                    LocalityEndpointsHealth.newBuilder()
                        .addEndpointsHealth(EndpointHealth.newBuilder().setHealthStatus(status))))
        .build();
  }

  private static Dataplane spec(String json) {
    return ResourceCodec.instance()
        .<Dataplane>decode(
            json.getBytes(StandardCharsets.UTF_8), Format.JSON, ResourceType.DATAPLANE)
        .toResource(ResourceType.DATAPLANE)
        .spec();
  }
}
