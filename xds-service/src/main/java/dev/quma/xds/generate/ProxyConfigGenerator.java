package dev.quma.xds.generate;

import dev.quma.core.model.Dataplane;
import dev.quma.xds.envoy.ClusterFactory;
import dev.quma.xds.envoy.EnvoyNames;
import dev.quma.xds.envoy.ListenerFactory;
import dev.quma.xds.envoy.LoadAssignmentFactory;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Envoy configuration of a standard dataplane: for each inbound a listener on its address and
 * port and a cluster for the application behind it; for each outbound a listener on loopback (or
 * its address) and an EDS cluster with the endpoints of every matching inbound in the mesh. Pure:
 * the same dataplane and mesh always give the same resources.
 */
public final class ProxyConfigGenerator {
  private ProxyConfigGenerator() {}

  public static ProxyResources generate(Dataplane dataplane, MeshEndpoints mesh) {
    Map<String, Listener> listeners = new TreeMap<>();
    Map<String, Cluster> clusters = new TreeMap<>();
    Map<String, ClusterLoadAssignment> assignments = new TreeMap<>();
    Dataplane.Networking networking = dataplane.networking();

    for (Dataplane.Inbound inbound : networking.inbound()) {
      Listener listener = inboundListener(networking, inbound);
      listeners.put(listener.getName(), listener);
      Cluster local = localCluster(inbound);
      clusters.putIfAbsent(local.getName(), local);
    }
    for (Dataplane.Outbound outbound : networking.outbound()) {
      if (outbound.serviceName().isEmpty()) {
        continue; // backendRef outbounds (MeshService...) are not served yet
      }
      OutboundTarget target = OutboundTarget.of(outbound);
      String cluster = EnvoyNames.outboundCluster(target);
      Protocol protocol = mesh.protocol(target.service());
      Listener listener = outboundListener(outbound, cluster, protocol);
      listeners.put(listener.getName(), listener);
      clusters.putIfAbsent(cluster, ClusterFactory.eds(cluster, protocol));
      assignments.computeIfAbsent(
          cluster, name -> LoadAssignmentFactory.of(name, mesh.endpoints(target)));
    }
    return new ProxyResources(
        List.copyOf(listeners.values()),
        List.copyOf(clusters.values()),
        List.copyOf(assignments.values()));
  }

  public static Listener inboundListener(
      Dataplane.Networking networking, Dataplane.Inbound inbound) {
    String service = inbound.tags().getOrDefault(Dataplane.SERVICE_TAG, "");
    return ListenerFactory.inbound(
        inbound.effectiveAddress(networking.address()),
        inbound.port(),
        EnvoyNames.localCluster(inbound.effectiveServicePort()),
        service,
        Protocol.of(inbound.tags().get(Dataplane.PROTOCOL_TAG)),
        inbound.tags());
  }

  public static Cluster localCluster(Dataplane.Inbound inbound) {
    return ClusterFactory.local(
        EnvoyNames.localCluster(inbound.effectiveServicePort()),
        inbound.effectiveServiceAddress(),
        inbound.effectiveServicePort(),
        Protocol.of(inbound.tags().get(Dataplane.PROTOCOL_TAG)));
  }

  public static Listener outboundListener(
      Dataplane.Outbound outbound, String cluster, Protocol protocol) {
    return ListenerFactory.outbound(
        outbound.effectiveAddress(), outbound.port(), cluster, protocol);
  }

  /** The distinct targets of a dataplane's outbounds, in order of appearance. */
  public static List<OutboundTarget> targets(Dataplane dataplane) {
    Map<String, OutboundTarget> targets = new LinkedHashMap<>();
    for (Dataplane.Outbound outbound : dataplane.networking().outbound()) {
      if (outbound.serviceName().isPresent()) {
        OutboundTarget target = OutboundTarget.of(outbound);
        targets.putIfAbsent(EnvoyNames.outboundCluster(target), target);
      }
    }
    return new ArrayList<>(targets.values());
  }
}
