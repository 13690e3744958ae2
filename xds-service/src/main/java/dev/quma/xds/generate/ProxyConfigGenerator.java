package dev.quma.xds.generate;

import dev.quma.core.metrics.PrometheusEndpoint;
import dev.quma.core.model.Dataplane;
import dev.quma.xds.envoy.Protocol;
import dev.quma.xds.envoy.clusters.ClusterFactory;
import dev.quma.xds.envoy.endpoints.LoadAssignmentFactory;
import dev.quma.xds.envoy.listeners.ListenerFactory;
import dev.quma.xds.envoy.names.EnvoyNames;
import dev.quma.xds.mesh.MeshEndpoints;
import dev.quma.xds.mesh.OutboundTarget;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Envoy configuration of a standard dataplane (or a delegated gateway, which has outbounds
 * only): for each inbound a listener on its address and port and a cluster for the application
 * behind it; for each outbound a listener on loopback (or its address) and an EDS cluster with the
 * endpoints of every matching ready inbound in the mesh; when metrics are enabled (the dataplane's
 * or the mesh's, {@link PrometheusEndpoint}) Kuma's {@code kuma:metrics:prometheus} listener and
 * the {@code kuma:envoy:admin} cluster it reaches the proxy's admin through. The one generator:
 * production snapshots and the golden files both come from here. It turns a dataplane into the
 * input records of the resource factories and gets each resource from the memo; the same dataplane
 * and mesh always give the same resources.
 */
public final class ProxyConfigGenerator {
  private final ResourceMemo memo;

  public ProxyConfigGenerator(ResourceMemo memo) {
    this.memo = memo;
  }

  /** Everything the proxy of {@code dataplane} is sent. */
  public ProxyResources generate(Dataplane dataplane, MeshEndpoints mesh) {
    Dataplane.Networking networking = dataplane.networking();
    List<VersionedResource<Listener>> listeners = new ArrayList<>();
    List<VersionedResource<Cluster>> clusters = new ArrayList<>();
    for (Dataplane.Inbound inbound : networking.inbound()) {
      String service = inbound.tags().getOrDefault(Dataplane.SERVICE_TAG, "");
      Protocol protocol = Protocol.of(inbound.tags().get(Dataplane.PROTOCOL_TAG));
      String localCluster = EnvoyNames.localCluster(inbound.effectiveServicePort());
      listeners.add(
          memo.inboundListener(
              new ListenerFactory.InboundInput(
                  mesh.listenAddress(inbound.effectiveAddress(networking.address())),
                  inbound.port(),
                  localCluster,
                  service,
                  protocol,
                  inbound.tags())));
      clusters.add(
          memo.localCluster(
              new ClusterFactory.LocalInput(
                  localCluster,
                  inbound.effectiveServiceAddress(),
                  inbound.effectiveServicePort(),
                  protocol)));
    }
    PrometheusEndpoint.of(dataplane, mesh.meshSpec())
        .ifPresent(
            metrics -> {
              listeners.add(
                  memo.prometheusListener(
                      new ListenerFactory.PrometheusInput(
                          mesh.listenAddress(networking.address()),
                          metrics.port(),
                          metrics.path(),
                          EnvoyNames.ADMIN_CLUSTER)));
              clusters.add(memo.adminCluster(new ClusterFactory.AdminInput(adminPort(networking))));
            });
    List<TargetResources> outbound = new ArrayList<>();
    for (OutboundGroup group : outboundGroups(dataplane)) {
      outbound.add(outbound(group, mesh));
    }
    return new ProxyResources(listeners, clusters, outbound);
  }

  /**
   * The proxy's Envoy admin port: the dataplane's {@code networking.admin.port}, else Kuma's
   * default, which the bootstrap gives Envoy as well when neither dataplane nor agent names one.
   */
  static int adminPort(Dataplane.Networking networking) {
    return networking.admin() != null && networking.admin().port() != null
        ? networking.admin().port()
        : DEFAULT_ADMIN_PORT;
  }

  static final int DEFAULT_ADMIN_PORT = 9901;

  /**
   * The resources of one outbound target; what a change of the target's service recomputes (with
   * inputs unchanged, it returns the very same resources).
   */
  public TargetResources outbound(OutboundGroup group, MeshEndpoints mesh) {
    String cluster = group.cluster();
    Protocol protocol = mesh.protocol(group.target().service());
    List<VersionedResource<Listener>> listeners = new ArrayList<>(group.outbounds().size());
    for (Dataplane.Outbound outbound : group.outbounds()) {
      listeners.add(
          memo.outboundListener(
              new ListenerFactory.OutboundInput(
                  outbound.effectiveAddress(), outbound.port(), cluster, protocol)));
    }
    return new TargetResources(
        group,
        listeners,
        memo.edsCluster(new ClusterFactory.EdsInput(cluster, protocol)),
        memo.loadAssignment(
            new LoadAssignmentFactory.EndpointsInput(cluster, mesh.endpoints(group.target()))));
  }

  /**
   * The dataplane's outbounds grouped by target, in order of appearance. Outbounds without a
   * service (backendRef outbounds, to MeshService and the like) are not served yet.
   */
  public static List<OutboundGroup> outboundGroups(Dataplane dataplane) {
    Map<OutboundTarget, List<Dataplane.Outbound>> byTarget = new LinkedHashMap<>();
    for (Dataplane.Outbound outbound : dataplane.networking().outbound()) {
      if (outbound.serviceName().isPresent()) {
        byTarget
            .computeIfAbsent(OutboundTarget.of(outbound), target -> new ArrayList<>())
            .add(outbound);
      }
    }
    List<OutboundGroup> groups = new ArrayList<>(byTarget.size());
    byTarget.forEach((target, outbounds) -> groups.add(new OutboundGroup(target, outbounds)));
    return groups;
  }
}
