package dev.quma.xds.health;

import dev.quma.xds.server.DataplaneTokenInterceptor;
import io.envoyproxy.envoy.service.health.v3.HealthCheckRequestOrEndpointHealthResponse;
import io.envoyproxy.envoy.service.health.v3.HealthCheckSpecifier;
import io.envoyproxy.envoy.service.health.v3.HealthDiscoveryServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;

/**
 * Envoy's Health Discovery Service, on the gRPC port beside ADS (same TLS, same dataplane token
 * check): the streaming call, over which proxies get their health checks and report their results.
 * Like {@code AdsService}, it binds the generated service definition itself.
 */
@GrpcService
public class HdsService implements BindableService {
  private final HealthStream.HdsContext context;
  private final boolean enabled;

  public HdsService(HealthStream.HdsContext context, HdsConfig config) {
    this.context = context;
    this.enabled = config.enabled();
  }

  @Override
  public ServerServiceDefinition bindService() {
    return new HealthDiscoveryServiceGrpc.HealthDiscoveryServiceImplBase() {
      @Override
      public StreamObserver<HealthCheckRequestOrEndpointHealthResponse> streamHealthCheck(
          StreamObserver<HealthCheckSpecifier> specifiers) {
        return HdsService.this.streamHealthCheck(specifiers);
      }

      @Override
      public void fetchHealthCheck(
          HealthCheckRequestOrEndpointHealthResponse request,
          StreamObserver<HealthCheckSpecifier> response) {
        response.onError(
            Status.UNIMPLEMENTED
                .withDescription("use StreamHealthCheck, as Envoy does")
                .asRuntimeException());
      }
    }.bindService();
  }

  StreamObserver<HealthCheckRequestOrEndpointHealthResponse> streamHealthCheck(
      StreamObserver<HealthCheckSpecifier> specifiers) {
    if (!enabled) {
      specifiers.onError(
          Status.UNIMPLEMENTED
              .withDescription(
                  "health checks (HDS) are turned off on this control plane"
                      + " (KUMA_DP_SERVER_HDS_ENABLED=false)")
              .asRuntimeException());
      return new Ignored();
    }
    return new HealthStream(specifiers, DataplaneTokenInterceptor.currentToken(), context);
  }

  /** Swallows the messages of a stream that was refused before it started. */
  private static final class Ignored
      implements StreamObserver<HealthCheckRequestOrEndpointHealthResponse> {
    @Override
    public void onNext(HealthCheckRequestOrEndpointHealthResponse value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
