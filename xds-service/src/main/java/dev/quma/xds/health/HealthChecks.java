package dev.quma.xds.health;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import dev.quma.core.model.Dataplane;
import dev.quma.core.runtime.GoDuration;
import dev.quma.xds.envoy.names.EnvoyNames;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.service.health.v3.ClusterHealthCheck;
import io.envoyproxy.envoy.service.health.v3.HealthCheckSpecifier;
import io.envoyproxy.envoy.service.health.v3.LocalityEndpoints;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Builds a proxy's {@link HealthCheckSpecifier}, as Kuma's HDS does: per inbound with a {@code
 * serviceProbe}, a check of the local service ({@code serviceAddress:servicePort}) named after its
 * local cluster; and, when the agent runs a readiness reporter, an HTTP check of it ({@code
 * kuma:readiness}, {@code GET /ready}). No I/O. Proxies with the same checks (a fleet's instances
 * usually have them) share one plan and its specifier.
 */
public final class HealthChecks {
  /** Kuma's name of the readiness reporter's cluster (also in the bootstrap). */
  public static final String READINESS_CLUSTER = "kuma:readiness";

  static final String READINESS_ADDRESS = "127.0.0.1";
  static final String READINESS_PATH = "/ready";

  private final Duration reportInterval;
  private final ProbeDefaults defaults;

  /** The plans in use, each once; held weakly, so a plan goes with the last stream using it. */
  private final Map<HealthCheckPlan, WeakReference<HealthCheckPlan>> shared = new WeakHashMap<>();

  public HealthChecks(Duration reportInterval, ProbeDefaults defaults) {
    this.reportInterval = reportInterval;
    this.defaults = defaults;
  }

  /** The checks for {@code spec}; {@code readinessPort} 0 when there is no reporter. */
  public HealthCheckPlan plan(Dataplane spec, int readinessPort) {
    HealthCheckSpecifier.Builder specifier =
        HealthCheckSpecifier.newBuilder()
            .setInterval(Durations.fromMillis(reportInterval.toMillis()));
    Map<String, List<Integer>> ports = new LinkedHashMap<>();
    Map<String, ClusterHealthCheck.Builder> clusters = new LinkedHashMap<>();
    if (spec.networking() != null) {
      for (Dataplane.Inbound inbound : spec.networking().inbound()) {
        if (inbound.serviceProbe() == null || inbound.port() == null) {
          continue;
        }
        String cluster = EnvoyNames.localCluster(inbound.effectiveServicePort());
        ports.computeIfAbsent(cluster, c -> new ArrayList<>()).add(inbound.port());
        // Two inbounds of one local service share its cluster: it is checked once.
        clusters.computeIfAbsent(
            cluster,
            c ->
                ClusterHealthCheck.newBuilder()
                    .setClusterName(c)
                    .addHealthChecks(serviceCheck(inbound.serviceProbe()))
                    .addLocalityEndpoints(
                        endpoint(
                            inbound.effectiveServiceAddress(), inbound.effectiveServicePort())));
      }
    }
    clusters.values().forEach(specifier::addClusterHealthChecks);
    boolean readiness = readinessPort > 0;
    if (readiness) {
      specifier.addClusterHealthChecks(
          ClusterHealthCheck.newBuilder()
              .setClusterName(READINESS_CLUSTER)
              .addHealthChecks(
                  common(
                          defaults.timeout(),
                          defaults.interval(),
                          defaults.unhealthyThreshold(),
                          defaults.healthyThreshold())
                      .setHttpHealthCheck(
                          HealthCheck.HttpHealthCheck.newBuilder().setPath(READINESS_PATH)))
              .addLocalityEndpoints(endpoint(READINESS_ADDRESS, readinessPort)));
    }
    return shared(new HealthCheckPlan(specifier.build(), ports, readiness));
  }

  private synchronized HealthCheckPlan shared(HealthCheckPlan plan) {
    WeakReference<HealthCheckPlan> held = shared.get(plan);
    HealthCheckPlan existing = held == null ? null : held.get();
    if (existing != null) {
      return existing;
    }
    shared.put(plan, new WeakReference<>(plan));
    return plan;
  }

  private HealthCheck serviceCheck(Dataplane.Inbound.ServiceProbe probe) {
    return common(
            duration(probe.timeout(), defaults.timeout()),
            duration(probe.interval(), defaults.interval()),
            positive(probe.unhealthyThreshold(), defaults.unhealthyThreshold()),
            positive(probe.healthyThreshold(), defaults.healthyThreshold()))
        .setTcpHealthCheck(HealthCheck.TcpHealthCheck.getDefaultInstance())
        .build();
  }

  private HealthCheck.Builder common(
      Duration timeout, Duration interval, int unhealthyThreshold, int healthyThreshold) {
    return HealthCheck.newBuilder()
        .setTimeout(Durations.fromMillis(timeout.toMillis()))
        .setInterval(Durations.fromMillis(interval.toMillis()))
        .setNoTrafficInterval(Durations.fromMillis(defaults.noTrafficInterval().toMillis()))
        .setUnhealthyThreshold(UInt32Value.of(unhealthyThreshold))
        .setHealthyThreshold(UInt32Value.of(healthyThreshold));
  }

  private static LocalityEndpoints endpoint(String address, int port) {
    return LocalityEndpoints.newBuilder()
        .addEndpoints(
            Endpoint.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder().setAddress(address).setPortValue(port))))
        .build();
  }

  /** A probe's duration (validated as a Go duration when stored), else the default. */
  private static Duration duration(String text, Duration fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      Duration parsed = GoDuration.parse(text);
      return parsed.isZero() || parsed.isNegative() ? fallback : parsed;
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }

  private static int positive(Integer value, int fallback) {
    return value == null || value <= 0 ? fallback : value;
  }
}
