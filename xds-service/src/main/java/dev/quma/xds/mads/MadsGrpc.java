package dev.quma.xds.mads;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Kuma's {@code kuma.observability.v1.MonitoringAssignmentDiscoveryService} over gRPC: {@code
 * FetchMonitoringAssignments} answers the assignments at once; {@code StreamMonitoringAssignments}
 * (state of the world) sends them on the first request and again whenever they change. The delta
 * variant is not served (UNIMPLEMENTED, with a message saying which one is).
 */
public final class MadsGrpc {
  private static final Logger LOG = Logger.getLogger(MadsGrpc.class);
  public static final String SERVICE = "kuma.observability.v1.MonitoringAssignmentDiscoveryService";

  public static final MethodDescriptor<DiscoveryRequest, DiscoveryResponse> FETCH =
      method("FetchMonitoringAssignments", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<DiscoveryRequest, DiscoveryResponse> STREAM =
      method("StreamMonitoringAssignments", MethodDescriptor.MethodType.BIDI_STREAMING);
  public static final MethodDescriptor<DeltaDiscoveryRequest, DeltaDiscoveryResponse> DELTA =
      MethodDescriptor.<DeltaDiscoveryRequest, DeltaDiscoveryResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(
              MethodDescriptor.generateFullMethodName(SERVICE, "DeltaMonitoringAssignments"))
          .setRequestMarshaller(ProtoUtils.marshaller(DeltaDiscoveryRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(DeltaDiscoveryResponse.getDefaultInstance()))
          .build();

  private final AssignmentCache cache;
  private final AssignmentWaits waits;
  private final BooleanSupplier ready;

  public MadsGrpc(AssignmentCache cache, AssignmentWaits waits, BooleanSupplier ready) {
    this.cache = cache;
    this.waits = waits;
    this.ready = ready;
  }

  public ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(FETCH, ServerCalls.asyncUnaryCall(this::fetch))
        .addMethod(STREAM, ServerCalls.asyncBidiStreamingCall(this::stream))
        .addMethod(
            DELTA,
            ServerCalls.asyncBidiStreamingCall(
                responses -> {
                  responses.onError(
                      Status.UNIMPLEMENTED
                          .withDescription(
                              "delta MADS is not served: use StreamMonitoringAssignments or the"
                                  + " HTTP fetch")
                          .asRuntimeException());
                  return new Ignored<>();
                }))
        .build();
  }

  private void fetch(DiscoveryRequest request, StreamObserver<DiscoveryResponse> responses) {
    Status refused = refusal(request);
    if (refused != null) {
      responses.onError(refused.asRuntimeException());
      return;
    }
    responses.onNext(MadsHttp.response(cache.current()));
    responses.onCompleted();
  }

  private StreamObserver<DiscoveryRequest> stream(StreamObserver<DiscoveryResponse> responses) {
    ServerCallStreamObserver<DiscoveryResponse> call =
        (ServerCallStreamObserver<DiscoveryResponse>) responses;
    SotwStream stream = new SotwStream(call);
    call.setOnCancelHandler(stream::end);
    return stream;
  }

  /** Why a request is refused, or null. */
  private Status refusal(DiscoveryRequest request) {
    String typeUrl = request.getTypeUrl();
    if (!typeUrl.isEmpty() && !typeUrl.equals(AssignmentMessages.TYPE_URL)) {
      return Status.INVALID_ARGUMENT.withDescription(
          "type_url: this server serves " + AssignmentMessages.TYPE_URL + ", not " + typeUrl);
    }
    if (!ready.getAsBoolean()) {
      return Status.UNAVAILABLE.withDescription("the mesh views are still loading");
    }
    return null;
  }

  /** One client's stream: the version it was last sent, and the timer that watches for more. */
  private final class SotwStream implements StreamObserver<DiscoveryRequest> {
    private final ServerCallStreamObserver<DiscoveryResponse> responses;
    private String sent;
    private AssignmentWaits.Wait watching;
    private boolean ended;

    SotwStream(ServerCallStreamObserver<DiscoveryResponse> responses) {
      this.responses = responses;
    }

    @Override
    public synchronized void onNext(DiscoveryRequest request) {
      if (ended) {
        return;
      }
      Status refused = refusal(request);
      if (refused != null) {
        end();
        responses.onError(refused.asRuntimeException());
        return;
      }
      if (request.hasErrorDetail()) {
        LOG.debugf(
            "MADS client %s rejected version %s: %s",
            request.getNode().getId(),
            request.getVersionInfo(),
            request.getErrorDetail().getMessage());
      }
      sendIfChanged(cache.current());
      if (watching == null) {
        watching = waits.every(this::sendIfChanged);
      }
    }

    private synchronized void sendIfChanged(AssignmentCache.Current current) {
      if (ended || current.version().equals(sent)) {
        return;
      }
      sent = current.version();
      responses.onNext(MadsHttp.response(current));
    }

    @Override
    public void onError(Throwable error) {
      end();
    }

    @Override
    public synchronized void onCompleted() {
      end();
      responses.onCompleted();
    }

    synchronized void end() {
      ended = true;
      if (watching != null) {
        watching.cancel();
      }
    }
  }

  private static MethodDescriptor<DiscoveryRequest, DiscoveryResponse> method(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<DiscoveryRequest, DiscoveryResponse>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(ProtoUtils.marshaller(DiscoveryRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(DiscoveryResponse.getDefaultInstance()))
        .build();
  }

  /** Requests of a call already refused. */
  private static final class Ignored<T> implements StreamObserver<T> {
    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
