package dev.quma.xds.health;

import dev.quma.core.insight.ProbeHealth;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.service.health.v3.ClusterEndpointsHealth;
import io.envoyproxy.envoy.service.health.v3.EndpointHealth;
import io.envoyproxy.envoy.service.health.v3.EndpointHealthResponse;
import io.envoyproxy.envoy.service.health.v3.HealthCheckSpecifier;
import io.envoyproxy.envoy.service.health.v3.LocalityEndpointsHealth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one proxy is asked to check ({@link #specifier}) and how its answers read: which inbound
 * ports each checked cluster stands for, and whether its readiness is checked.
 *
 * @param inboundPorts checked cluster name -> the inbound ports whose service it probes
 * @param readiness whether the agent's readiness reporter is checked ({@code kuma:readiness})
 */
public record HealthCheckPlan(
    HealthCheckSpecifier specifier, Map<String, List<Integer>> inboundPorts, boolean readiness) {

  public HealthCheckPlan {
    inboundPorts = Map.copyOf(inboundPorts);
  }

  /**
   * The proxy's health after {@code report}: a cluster is healthy when every endpoint it reports is
   * {@code HEALTHY}; what the report leaves out stays as {@code previous} had it (the proxy ready,
   * a probed inbound not, when there is none). Its time is {@code previous}'s while nothing
   * changed, else {@code nowMillis}.
   */
  public ProbeHealth verdict(EndpointHealthResponse report, ProbeHealth previous, long nowMillis) {
    boolean proxyReady = previous == null || previous.proxyReady();
    Map<Integer, Boolean> inbounds = new TreeMap<>();
    if (previous != null) {
      previous
          .inbounds()
          .forEach(
              (port, healthy) -> {
                if (probes(port)) {
                  inbounds.put(port, healthy);
                }
              });
    }
    for (ClusterEndpointsHealth cluster : report.getClusterEndpointsHealthList()) {
      boolean healthy = healthy(cluster);
      if (readiness && HealthChecks.READINESS_CLUSTER.equals(cluster.getClusterName())) {
        proxyReady = healthy;
      }
      for (Integer port : inboundPorts.getOrDefault(cluster.getClusterName(), List.of())) {
        inbounds.put(port, healthy);
      }
    }
    ProbeHealth next = new ProbeHealth(nowMillis, proxyReady, inbounds);
    return next.sameHealth(previous)
        ? new ProbeHealth(previous.sinceMillis(), proxyReady, inbounds)
        : next;
  }

  private boolean probes(int port) {
    return inboundPorts.values().stream().anyMatch(ports -> ports.contains(port));
  }

  private static boolean healthy(ClusterEndpointsHealth cluster) {
    boolean any = false;
    for (LocalityEndpointsHealth locality : cluster.getLocalityEndpointsHealthList()) {
      for (EndpointHealth endpoint : locality.getEndpointsHealthList()) {
        if (endpoint.getHealthStatus() != HealthStatus.HEALTHY) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }
}
