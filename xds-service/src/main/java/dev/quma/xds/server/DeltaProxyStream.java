package dev.quma.xds.server;

import dev.quma.xds.lifecycle.ProxyAdmission;
import dev.quma.xds.lifecycle.ProxyStreams;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * An incremental (Delta) ADS stream: only changed resources are sent. A request answering a nonce
 * this stream never sent (or already saw answered) is dropped: java-control-plane cannot match it
 * to a response.
 */
final class DeltaProxyStream extends ProxyStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
  private static final Logger LOG = Logger.getLogger(DeltaProxyStream.class);
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
    if (nonce.isEmpty()) {
      return request;
    }
    if (!sentNonces.remove(nonce)) {
      return null;
    }
    if (request.hasErrorDetail()) {
      session.rejected(
          request.getTypeUrl(), request.getErrorDetail().getMessage(), clock.instant());
      streams().nacked();
      LOG.warnf(
          "%s rejected %s: %s",
          session.key(), request.getTypeUrl(), request.getErrorDetail().getMessage());
    } else {
      session.acknowledged(request.getTypeUrl(), clock.instant());
    }
    return request;
  }

  @Override
  void observeResponse(DeltaDiscoveryResponse response) {
    sentNonces.add(response.getNonce());
    session.sent(response.getTypeUrl(), clock.instant());
  }
}
