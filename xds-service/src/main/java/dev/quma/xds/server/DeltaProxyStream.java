package dev.quma.xds.server;

import dev.quma.xds.admission.ProxyAdmission;
import dev.quma.xds.streams.ConfigMemory;
import dev.quma.xds.streams.ProxyStreams;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
    if (nonce.isEmpty()) {
      return request;
    }
    if (!sentNonces.remove(nonce)) {
      return null;
    }
    if (request.hasErrorDetail()) {
      session.rejected(
          request.getTypeUrl(), request.getErrorDetail().getMessage(), clock.instant());
      session
          .config()
          .rejected(
              request.getTypeUrl(), nonce, request.getErrorDetail().getMessage(), clock.instant());
      streams().nacked();
      LOG.warnf(
          "%s rejected %s: %s",
          session.key(), request.getTypeUrl(), request.getErrorDetail().getMessage());
    } else {
      session.acknowledged(request.getTypeUrl(), clock.instant());
      session.config().acknowledged(request.getTypeUrl(), nonce, clock.instant());
    }
    return request;
  }

  @Override
  void observeResponse(DeltaDiscoveryResponse response) {
    sentNonces.add(response.getNonce());
    session.sent(response.getTypeUrl(), clock.instant());
    List<ConfigMemory.Named> changed = new ArrayList<>(response.getResourcesCount());
    for (Resource resource : response.getResourcesList()) {
      changed.add(
          new ConfigMemory.Named(
              resource.getName(), resource.getVersion(), resource.getResource()));
    }
    session
        .config()
        .sentChanges(
            response.getTypeUrl(),
            response.getSystemVersionInfo(),
            response.getNonce(),
            changed,
            response.getRemovedResourcesList(),
            clock.instant());
  }
}
