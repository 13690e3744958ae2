package dev.quma.xds.server;

import dev.quma.xds.admission.ProxyAdmission;
import dev.quma.xds.streams.ConfigMemory;
import dev.quma.xds.streams.ProxyStreams;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A state-of-the-world ADS stream. A NACK names the last version Envoy accepted, which differs from
 * the snapshot's, so java-control-plane would answer it at once with the same rejected config, and
 * again, forever. The NACK is handed over naming the rejected version instead: the cache then waits
 * for the next change (and {@link StreamCounters} logs that version).
 */
final class SotwProxyStream extends ProxyStream<DiscoveryRequest, DiscoveryResponse> {
  private final V3DiscoveryServer server;
  private final Map<String, String> versionsByNonce = new ConcurrentHashMap<>();

  SotwProxyStream(
      StreamObserver<DiscoveryResponse> responses,
      String token,
      ProxyAdmission admission,
      ProxyStreams streams,
      String instanceId,
      Clock clock,
      V3DiscoveryServer server) {
    super(responses, token, admission, streams, instanceId, clock);
    this.server = server;
  }

  @Override
  StreamObserver<DiscoveryRequest> openHandler(StreamObserver<DiscoveryResponse> counted) {
    return server.getAggregatedDiscoveryServiceImpl().streamAggregatedResources(counted);
  }

  @Override
  ConfigMemory.Protocol protocol() {
    return ConfigMemory.Protocol.SOTW;
  }

  @Override
  Node nodeOf(DiscoveryRequest request) {
    return request.hasNode() ? request.getNode() : null;
  }

  @Override
  DiscoveryRequest withNode(DiscoveryRequest request, Node node) {
    return request.toBuilder().setNode(node).build();
  }

  @Override
  DiscoveryRequest observeRequest(DiscoveryRequest request) {
    if (request.getResponseNonce().isEmpty()) {
      return request;
    }
    String sentVersion = versionsByNonce.remove(request.getResponseNonce());
    if (!request.hasErrorDetail() || sentVersion == null) {
      return request;
    }
    return request.toBuilder().setVersionInfo(sentVersion).build();
  }

  @Override
  void observeResponse(DiscoveryResponse response) {
    versionsByNonce.put(response.getNonce(), response.getVersionInfo());
  }
}
