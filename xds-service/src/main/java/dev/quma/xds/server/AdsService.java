package dev.quma.xds.server;

import dev.quma.xds.admission.ProxyAdmission;
import dev.quma.xds.config.XdsConfig;
import dev.quma.xds.streams.ProxyStreams;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.time.Clock;

/**
 * Envoy's Aggregated Discovery Service, state-of-the-world and Delta, on the gRPC port (5678). It
 * implements {@link BindableService} itself (rather than extending the generated base class, which
 * Quarkus would not find in its index) and binds the generated service definition.
 */
@GrpcService
public class AdsService implements BindableService {
  private final V3DiscoveryServer server;
  private final ProxyAdmission admission;
  private final ProxyStreams streams;
  private final XdsConfig config;
  private final Clock clock;

  public AdsService(
      V3DiscoveryServer server,
      ProxyAdmission admission,
      ProxyStreams streams,
      XdsConfig config,
      Clock clock) {
    this.server = server;
    this.admission = admission;
    this.streams = streams;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public ServerServiceDefinition bindService() {
    return new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
      @Override
      public StreamObserver<DiscoveryRequest> streamAggregatedResources(
          StreamObserver<DiscoveryResponse> responses) {
        return AdsService.this.streamAggregatedResources(responses);
      }

      @Override
      public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
          StreamObserver<DeltaDiscoveryResponse> responses) {
        return AdsService.this.deltaAggregatedResources(responses);
      }
    }.bindService();
  }

  StreamObserver<DiscoveryRequest> streamAggregatedResources(
      StreamObserver<DiscoveryResponse> responses) {
    if (streams.shuttingDown()) {
      responses.onError(
          Status.UNAVAILABLE
              .withDescription("this xDS replica is shutting down; connect to another")
              .asRuntimeException());
      return new Ignored<>();
    }
    return new SotwProxyStream(
        responses,
        DataplaneTokenInterceptor.TOKEN.get(),
        admission,
        streams,
        config.instanceId(),
        clock,
        server);
  }

  StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
      StreamObserver<DeltaDiscoveryResponse> responses) {
    if (streams.shuttingDown()) {
      responses.onError(
          Status.UNAVAILABLE
              .withDescription("this xDS replica is shutting down; connect to another")
              .asRuntimeException());
      return new Ignored<>();
    }
    return new DeltaProxyStream(
        responses,
        DataplaneTokenInterceptor.TOKEN.get(),
        admission,
        streams,
        config.instanceId(),
        clock,
        server);
  }

  /** Swallows the requests of a stream that was refused before it started. */
  private static final class Ignored<Q> implements StreamObserver<Q> {
    @Override
    public void onNext(Q value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
