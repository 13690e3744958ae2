package dev.quma.xds.server;

import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.Departure;
import dev.quma.core.store.StoreUnavailable;
import dev.quma.xds.admission.AdmissionException;
import dev.quma.xds.admission.AdmittedProxy;
import dev.quma.xds.admission.ProxyAdmission;
import dev.quma.xds.streams.ConfigMemory;
import dev.quma.xds.streams.ProxyStreams;
import dev.quma.xds.streams.StreamSession;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One ADS stream, in front of java-control-plane's handler. It holds the stream until the first
 * request's node is admitted (token, registration), then hands every request over with the node
 * filled in: Envoy started from a Kuma-style bootstrap sends its node only on the first message
 * ({@code set_node_on_first_message_only}), while java-control-plane's cache looks up the node of
 * every request. What the stream sends and the proxy acknowledges or rejects is counted by {@link
 * StreamCounters}, from java-control-plane's callbacks; the subclasses only mend what the library
 * would misread (see SotwProxyStream, DeltaProxyStream).
 */
abstract class ProxyStream<Q, R> implements StreamObserver<Q> {
  private static final Logger LOG = Logger.getLogger(ProxyStream.class);

  private enum State {
    NEW,
    ADMITTING,
    SERVING,
    CLOSED
  }

  private final StreamObserver<R> responses;
  private final String token;
  private final ProxyAdmission admission;
  private final ProxyStreams streams;
  private final String instanceId;
  private final Clock clock;
  private final List<Q> pending = new ArrayList<>();
  private State state = State.NEW;
  private Node node;
  private StreamObserver<Q> handler;
  private StreamSession session;
  private Departure.Kind closedHow = Departure.Kind.LOST;

  ProxyStream(
      StreamObserver<R> responses,
      String token,
      ProxyAdmission admission,
      ProxyStreams streams,
      String instanceId,
      Clock clock) {
    this.responses = responses;
    this.token = token;
    this.admission = admission;
    this.streams = streams;
    this.instanceId = instanceId;
    this.clock = clock;
    if (responses instanceof ServerCallStreamObserver<R> call) {
      call.setOnCancelHandler(
          () -> close(Status.CANCELLED.asRuntimeException(), Departure.Kind.LOST));
    }
  }

  /** java-control-plane's handler, answering through {@code responses}. */
  abstract StreamObserver<Q> openHandler(StreamObserver<R> responses);

  abstract Node nodeOf(Q request);

  /** State of the world or Delta, for the config dump's memory of this stream. */
  abstract ConfigMemory.Protocol protocol();

  abstract Q withNode(Q request, Node node);

  /** The request as the library is to see it: rewritten (see SotwProxyStream), or null: dropped. */
  abstract Q observeRequest(Q request);

  /** Notes what {@link #observeRequest} needs of a response before it goes out. */
  abstract void observeResponse(R response);

  @Override
  public void onNext(Q request) {
    Q complete;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      if (node == null) {
        Node first = nodeOf(request);
        if (first == null || first.getId().isEmpty()) {
          refuse(
              Status.INVALID_ARGUMENT.withDescription(
                  "the first request of a stream must carry the node, with id \"mesh.name\""));
          return;
        }
        node = first;
      }
      complete = nodeOf(request) == null ? withNode(request, node) : request;
      if (state == State.NEW) {
        state = State.ADMITTING;
        pending.add(complete);
        admit();
        return;
      }
      if (state == State.ADMITTING) {
        pending.add(complete);
        return;
      }
    }
    forward(complete);
  }

  private void forward(Q request) {
    Q observed = observeRequest(request);
    if (observed != null) {
      handler.onNext(observed);
    }
  }

  private void admit() {
    streams
        .gate()
        .submit(
            () ->
                admission
                    .admit(node, token)
                    .flatMap(
                        admitted -> {
                          session =
                              new StreamSession(
                                  admitted.key(),
                                  ProxyAdmission.proxyInstance(node),
                                  admitted.direct(),
                                  instanceId,
                                  clock.instant(),
                                  version(node),
                                  new ConfigMemory(protocol()));
                          session.bind(token, this::terminate);
                          return streams.opened(session, admitted).replaceWith(admitted);
                        }))
        .subscribe()
        .with(this::serve, this::refuseAdmission);
  }

  private void serve(AdmittedProxy admitted) {
    List<Q> queued;
    synchronized (this) {
      if (state == State.CLOSED) {
        streams.closed(session, closedHow); // the proxy went away while it was being admitted
        return;
      }
      handler = StreamCounters.opening(session, () -> openHandler(new ObservedResponses()));
      state = State.SERVING;
      queued = new ArrayList<>(pending);
      pending.clear();
    }
    for (Q request : queued) {
      forward(request);
    }
  }

  private void refuseAdmission(Throwable error) {
    Status status;
    if (error instanceof AdmissionException refused) {
      status = refused.status();
      LOG.infof("refused the stream of %s: %s", node.getId(), error.getMessage());
    } else if (StoreUnavailable.is(error)) {
      // Logged once per outage by the store watch, not once per proxy retrying.
      streams.storeUnavailable(error);
      status = Status.UNAVAILABLE.withDescription("the store is unavailable; retry");
    } else {
      status =
          Status.UNAVAILABLE.withDescription("could not admit the proxy: " + error.getMessage());
      LOG.warnf(error, "could not admit %s", node.getId());
    }
    synchronized (this) {
      refuse(status);
    }
  }

  /** Ends the stream with an error status; callers hold the lock. */
  private void refuse(Status status) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    try {
      responses.onError(status.asRuntimeException());
    } catch (RuntimeException e) {
      // the call is already gone
    }
  }

  /** Ends a served stream from this side: the proxy gets {@code status}, the session closes. */
  private void terminate(Status status) {
    synchronized (this) {
      if (state != State.SERVING) {
        return;
      }
      try {
        responses.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        // the call is already gone
      }
    }
    // The handler ends quietly: this is no error of the stream's, and the proxy was told why. It
    // may not come back as it was, so its endpoints go at once.
    close(null, Departure.Kind.LEFT);
  }

  /**
   * The stream broke: gRPC tells a cancelled stream and a lost connection (a crash, a network cut,
   * a keepalive that went unanswered) alike, and neither is a proxy saying goodbye.
   */
  @Override
  public void onError(Throwable error) {
    close(error, Departure.Kind.LOST);
  }

  /** The proxy half-closed its stream: it is leaving (Envoy stopping after its drain). */
  @Override
  public void onCompleted() {
    close(null, Departure.Kind.LEFT);
  }

  private void close(Throwable error, Departure.Kind how) {
    StreamObserver<Q> toClose;
    StreamSession ended;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      boolean serving = state == State.SERVING;
      state = State.CLOSED;
      closedHow = how;
      toClose = handler;
      ended = serving ? session : null;
    }
    if (toClose != null) {
      try {
        if (error == null) {
          toClose.onCompleted();
        } else {
          toClose.onError(error);
        }
      } catch (RuntimeException e) {
        // the handler was closing anyway
      }
    }
    if (ended != null) {
      streams.closed(ended, how);
    }
  }

  /** Envoy's and kuma-dp's versions, from the node, for the subscription. */
  private static DataplaneInsight.Version version(Node node) {
    String envoy =
        node.getUserAgentBuildVersion().hasVersion()
            ? node.getUserAgentBuildVersion().getVersion().getMajorNumber()
                + "."
                + node.getUserAgentBuildVersion().getVersion().getMinorNumber()
                + "."
                + node.getUserAgentBuildVersion().getVersion().getPatch()
            : null;
    var kumaDp = node.getMetadata().getFieldsMap().get("version");
    String agent = null;
    if (kumaDp != null && kumaDp.hasStructValue()) {
      var dp = kumaDp.getStructValue().getFieldsMap().get("kumaDp");
      if (dp != null && dp.hasStructValue() && dp.getStructValue().containsFields("version")) {
        agent = dp.getStructValue().getFieldsOrThrow("version").getStringValue();
      }
    }
    return new DataplaneInsight.Version(
        agent == null ? null : new DataplaneInsight.Version.KumaDp(agent, null, null, null, null),
        envoy == null ? null : new DataplaneInsight.Version.Envoy(envoy, null, null),
        null);
  }

  /** The response side of the stream, observed before sending. */
  private final class ObservedResponses implements StreamObserver<R> {
    @Override
    public void onNext(R response) {
      observeResponse(response);
      responses.onNext(response);
    }

    @Override
    public void onError(Throwable error) {
      responses.onError(error);
    }

    @Override
    public void onCompleted() {
      responses.onCompleted();
    }
  }
}
