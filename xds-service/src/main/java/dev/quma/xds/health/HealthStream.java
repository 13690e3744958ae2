package dev.quma.xds.health;

import dev.quma.core.admission.AdmittedDataplane;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.xds.admission.AdmissionException;
import dev.quma.xds.admission.ProxyAdmission;
import dev.quma.xds.streams.HeldTokens;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.health.v3.EndpointHealthResponse;
import io.envoyproxy.envoy.service.health.v3.HealthCheckRequestOrEndpointHealthResponse;
import io.envoyproxy.envoy.service.health.v3.HealthCheckSpecifier;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * One proxy's Health Discovery Service stream. Its first message must carry the node; the proxy is
 * checked as its ADS stream is (token, dataplane, {@link ProxyAdmission#check}), then gets its
 * {@link HealthCheckSpecifier}, sent again when its dataplane changes. Each report Envoy sends is
 * read into the proxy's {@link ProbeHealth}; a changed one is recorded ({@link ProbeRecorder}), and
 * every replica's view follows.
 */
final class HealthStream
    implements StreamObserver<HealthCheckRequestOrEndpointHealthResponse>, HeldTokens.Holder {
  private static final Logger LOG = Logger.getLogger(HealthStream.class);
  static final String READINESS_PORT_METADATA = "dataplane.readinessReporter.port";

  private enum State {
    NEW,
    ADMITTING,
    SERVING,
    CLOSED
  }

  private final StreamObserver<HealthCheckSpecifier> specifiers;
  private final String token;
  private final HdsContext context;
  private State state = State.NEW;

  /** Until admitted: afterwards only its readiness port is kept (an Envoy node can be large). */
  private Node node;

  private String mesh;
  private String name;
  private int readinessPort;
  private long builtFrom = Long.MIN_VALUE;
  private HealthCheckPlan plan;
  private ProbeHealth health;
  private ProbeRecorder.Writer writer;

  HealthStream(StreamObserver<HealthCheckSpecifier> specifiers, String token, HdsContext context) {
    this.specifiers = specifiers;
    this.token = token;
    this.context = context;
    if (specifiers instanceof ServerCallStreamObserver<HealthCheckSpecifier> call) {
      call.setOnCancelHandler(this::close);
    }
  }

  @Override
  public void onNext(HealthCheckRequestOrEndpointHealthResponse message) {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      if (state == State.NEW) {
        Node first =
            message.hasHealthCheckRequest() ? message.getHealthCheckRequest().getNode() : null;
        if (first == null || first.getId().isEmpty()) {
          refuse(
              Status.INVALID_ARGUMENT.withDescription(
                  "the first message of a health check stream must be a health_check_request"
                      + " with the node, its id \"mesh.name\""));
          return;
        }
        node = first;
        state = State.ADMITTING;
      } else if (state == State.SERVING && message.hasEndpointHealthResponse()) {
        report(message.getEndpointHealthResponse());
        return;
      } else {
        return; // a report before the specifier, or a second request: nothing to do
      }
    }
    admit();
  }

  private void admit() {
    context
        .admission()
        .check(node, token)
        .subscribe()
        .with(
            this::serve,
            failure -> {
              synchronized (this) {
                refuse(
                    failure instanceof AdmissionException refused
                        ? refused.status()
                        : Status.UNAVAILABLE.withDescription(
                            "the control plane cannot check this proxy now; retry"));
              }
            });
  }

  private synchronized void serve(AdmittedDataplane admitted) {
    if (state == State.CLOSED) {
      return;
    }
    mesh = admitted.mesh();
    name = admitted.name();
    readinessPort = readinessPort(node);
    node = null;
    writer = context.recorder().writer(mesh, name);
    builtFrom = context.dataplaneVersion(mesh, name);
    state = State.SERVING;
    context.metrics().streamOpened();
    context.heldTokens().add(this);
    send(admitted.spec());
    context.refresh().add(this);
  }

  /** A new specifier when the dataplane changed since the last one was built. */
  void refresh() {
    long version;
    synchronized (this) {
      if (state != State.SERVING) {
        return;
      }
      version = context.dataplaneVersion(mesh, name);
      if (version == builtFrom) {
        return;
      }
    }
    context
        .store()
        .find(ResourceType.DATAPLANE, mesh, name, Dataplane.class)
        .subscribe()
        .with(
            found ->
                found.ifPresent(
                    resource -> {
                      synchronized (this) {
                        if (state == State.SERVING) {
                          builtFrom = version;
                          send(resource.spec());
                        }
                      }
                    }),
            failure -> LOG.debugf("health checks of %s.%s not refreshed: %s", mesh, name, failure));
  }

  private void send(Dataplane spec) {
    HealthCheckPlan next = context.checks().plan(spec, readinessPort);
    if (plan != null && plan.specifier().equals(next.specifier())) {
      return;
    }
    plan = next;
    specifiers.onNext(next.specifier());
  }

  private void report(EndpointHealthResponse response) {
    long started = System.nanoTime();
    ProbeHealth next = plan.verdict(response, health, context.clock().millis());
    if (!next.sameHealth(health)) {
      context.metrics().flipped(health, next);
    }
    writer.offer(next);
    health = next;
    context.metrics().reportRead(System.nanoTime() - started);
  }

  @Override
  public void onError(Throwable error) {
    close();
  }

  @Override
  public void onCompleted() {
    boolean wasOpen;
    synchronized (this) {
      wasOpen = state != State.CLOSED;
    }
    close();
    if (wasOpen) {
      specifiers.onCompleted();
    }
  }

  private synchronized void close() {
    if (state == State.SERVING) {
      context.metrics().streamClosed();
      context.heldTokens().remove(this);
    }
    state = State.CLOSED;
    context.refresh().remove(this);
  }

  @Override
  public String mesh() {
    return mesh;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String token() {
    return token;
  }

  /** Ends the stream: its token was refused when checked again. */
  @Override
  public synchronized void terminate(Status status) {
    if (state == State.CLOSED) {
      return;
    }
    close();
    specifiers.onError(status.asRuntimeException());
  }

  private void refuse(Status status) {
    state = State.CLOSED;
    specifiers.onError(status.asRuntimeException());
  }

  /** The agent's readiness reporter port from the node's metadata; 0 when it has none. */
  private static int readinessPort(Node node) {
    var value = node.getMetadata().getFieldsMap().get(READINESS_PORT_METADATA);
    if (value == null) {
      return 0;
    }
    try {
      int port =
          value.hasNumberValue()
              ? (int) value.getNumberValue()
              : Integer.parseInt(value.getStringValue());
      return port > 0 && port <= 65535 ? port : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** What every stream of a replica shares. */
  record HdsContext(
      ProxyAdmission admission,
      HealthChecks checks,
      ProbeRecorder recorder,
      ResourceStore store,
      DataplaneVersions versions,
      HdsMetrics metrics,
      SpecifierRefresh refresh,
      Clock clock,
      HeldTokens heldTokens) {
    long dataplaneVersion(String mesh, String name) {
      return versions.version(mesh, name);
    }
  }

  /** The version of a dataplane as the view last applied it; -1 when it has none. */
  interface DataplaneVersions {
    long version(String mesh, String name);
  }
}
