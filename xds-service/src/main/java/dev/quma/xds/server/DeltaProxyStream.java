package dev.quma.xds.server;

import dev.quma.xds.admission.ProxyAdmission;
import dev.quma.xds.streams.ConfigMemory;
import dev.quma.xds.streams.ProxyStreams;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An incremental (Delta) ADS stream: only changed resources are sent. A request answering a nonce
 * this stream never sent (or already saw answered) is dropped: java-control-plane cannot match it
 * to a response.
 */
final class DeltaProxyStream extends ProxyStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
  private final V3DiscoveryServer server;
  private final Set<String> sentNonces = ConcurrentHashMap.newKeySet();

  DeltaProxyStream(
      StreamObserver<DeltaDiscoveryResponse> responses,
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
  StreamObserver<DeltaDiscoveryRequest> openHandler(
      StreamObserver<DeltaDiscoveryResponse> counted) {
    return server.getAggregatedDiscoveryServiceImpl().deltaAggregatedResources(counted);
  }

  @Override
  ConfigMemory.Protocol protocol() {
    return ConfigMemory.Protocol.DELTA;
  }

  @Override
  Node nodeOf(DeltaDiscoveryRequest request) {
    return request.hasNode() ? request.getNode() : null;
  }

  @Override
  DeltaDiscoveryRequest withNode(DeltaDiscoveryRequest request, Node node) {
    return request.toBuilder().setNode(node).build();
  }

  @Override
  DeltaDiscoveryRequest observeRequest(DeltaDiscoveryRequest request) {
    String nonce = request.getResponseNonce();
    return nonce.isEmpty() || sentNonces.remove(nonce) ? request : null;
  }

  @Override
  void observeResponse(DeltaDiscoveryResponse response) {
    sentNonces.add(response.getNonce());
  }
}
