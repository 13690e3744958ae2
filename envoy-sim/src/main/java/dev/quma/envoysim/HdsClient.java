package dev.quma.envoysim;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.service.health.v3.Capability;
import io.envoyproxy.envoy.service.health.v3.ClusterEndpointsHealth;
import io.envoyproxy.envoy.service.health.v3.ClusterHealthCheck;
import io.envoyproxy.envoy.service.health.v3.EndpointHealth;
import io.envoyproxy.envoy.service.health.v3.EndpointHealthResponse;
import io.envoyproxy.envoy.service.health.v3.HealthCheckRequest;
import io.envoyproxy.envoy.service.health.v3.HealthCheckRequestOrEndpointHealthResponse;
import io.envoyproxy.envoy.service.health.v3.HealthCheckSpecifier;
import io.envoyproxy.envoy.service.health.v3.HealthDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.health.v3.LocalityEndpoints;
import io.envoyproxy.envoy.service.health.v3.LocalityEndpointsHealth;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Envoy's side of the Health Discovery Service, over real gRPC: it sends its node and capabilities
 * once, and for each {@link HealthCheckSpecifier} the control plane sends, health-checks the
 * endpoints named there (TCP connects and HTTP GETs, see {@link HealthProbe}) on their intervals
 * and thresholds and reports every endpoint's status at the specifier's interval, as Envoy does.
 * Without active checks (benchmarks) the statuses are set by {@link #set} and reported by {@link
 * #report}.
 */
public final class HdsClient implements AutoCloseable {
  private static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(1);

  private final Node node;
  private final String token;
  private final ScheduledExecutorService timers;
  private final boolean ownTimers;
  private final boolean activeChecks;
  private final List<Consumer<HealthCheckSpecifier>> specifierListeners = new ArrayList<>();
  private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();

  /** The endpoints being checked, by cluster and then {@code address:port}, in the order given. */
  private final Map<String, Map<String, Checked>> checked = new LinkedHashMap<>();

  private StreamObserver<HealthCheckRequestOrEndpointHealthResponse> requests;
  private HealthCheckSpecifier specifier;
  private volatile Status closedWith;
  private int reportsSent;

  /** One endpoint under a health check, with its run of results. */
  private static final class Checked {
    final ClusterHealthCheck cluster;
    final Endpoint endpoint;
    HealthStatus status = HealthStatus.UNHEALTHY; // until a check passes, as in Envoy
    boolean everPassed;
    int successes;
    int failures;
    boolean running;

    Checked(ClusterHealthCheck cluster, Endpoint endpoint) {
      this.cluster = cluster;
      this.endpoint = endpoint;
    }
  }

  private HdsClient(Builder builder) {
    this.node = builder.node;
    this.token = builder.token;
    this.activeChecks = builder.activeChecks;
    this.ownTimers = builder.timers == null;
    this.timers =
        ownTimers
            ? Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread thread = new Thread(r, "hds-" + node.getId());
                  thread.setDaemon(true);
                  return thread;
                })
            : builder.timers;
  }

  public static Builder builder(Node node) {
    return new Builder(node);
  }

  /** Opens the stream on {@code channel} and sends the node with the checks it can run. */
  public synchronized HdsClient connect(Channel channel) {
    HealthDiscoveryServiceGrpc.HealthDiscoveryServiceStub stub =
        HealthDiscoveryServiceGrpc.newStub(channel);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    requests = stub.streamHealthCheck(new Specifiers());
    requests.onNext(
        HealthCheckRequestOrEndpointHealthResponse.newBuilder()
            .setHealthCheckRequest(
                HealthCheckRequest.newBuilder()
                    .setNode(node)
                    .setCapability(
                        Capability.newBuilder()
                            .addHealthCheckProtocols(Capability.Protocol.HTTP)
                            .addHealthCheckProtocols(Capability.Protocol.TCP)))
            .build());
    return this;
  }

  /** Tells {@code listener} each specifier received (on the gRPC thread). */
  public synchronized void onSpecifier(Consumer<HealthCheckSpecifier> listener) {
    specifierListeners.add(listener);
  }

  /** The last specifier received; null before the first. */
  public synchronized HealthCheckSpecifier specifier() {
    return specifier;
  }

  /** Each checked endpoint's status, as {@code cluster/address:port}. */
  public synchronized Map<String, HealthStatus> statuses() {
    Map<String, HealthStatus> out = new LinkedHashMap<>();
    checked.forEach(
        (cluster, endpoints) ->
            endpoints.forEach((address, check) -> out.put(cluster + "/" + address, check.status)));
    return out;
  }

  public synchronized int reportsSent() {
    return reportsSent;
  }

  public Status closedWith() {
    return closedWith;
  }

  /** Sets the status of every endpoint of {@code cluster} (for runs without active checks). */
  public synchronized void set(String cluster, boolean healthy) {
    for (Checked check : checked.getOrDefault(cluster, Map.of()).values()) {
      check.status = healthy ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY;
    }
  }

  /** Sends every endpoint's status now. */
  public synchronized void report() {
    if (requests == null || closedWith != null) {
      return;
    }
    EndpointHealthResponse.Builder response = EndpointHealthResponse.newBuilder();
    for (ClusterHealthCheck cluster :
        specifier == null
            ? List.<ClusterHealthCheck>of()
            : specifier.getClusterHealthChecksList()) {
      Map<String, Checked> endpoints = checked.getOrDefault(cluster.getClusterName(), Map.of());
      ClusterEndpointsHealth.Builder health =
          ClusterEndpointsHealth.newBuilder().setClusterName(cluster.getClusterName());
      for (LocalityEndpoints locality : cluster.getLocalityEndpointsList()) {
        LocalityEndpointsHealth.Builder inLocality =
            LocalityEndpointsHealth.newBuilder().setLocality(locality.getLocality());
        for (Endpoint endpoint : locality.getEndpointsList()) {
          Checked check = endpoints.get(HealthProbe.address(endpoint));
          inLocality.addEndpointsHealth(
              EndpointHealth.newBuilder()
                  .setEndpoint(endpoint)
                  .setHealthStatus(check == null ? HealthStatus.UNKNOWN : check.status));
        }
        health.addLocalityEndpointsHealth(inLocality);
      }
      response.addClusterEndpointsHealth(health);
    }
    requests.onNext(
        HealthCheckRequestOrEndpointHealthResponse.newBuilder()
            .setEndpointHealthResponse(response)
            .build());
    reportsSent++;
  }

  /** Half-closes the stream, as Envoy does when it stops. */
  public synchronized void leave() {
    cancelTimers();
    if (requests != null && closedWith == null) {
      requests.onCompleted();
    }
  }

  @Override
  public synchronized void close() {
    cancelTimers();
    if (requests != null && closedWith == null) {
      requests.onError(Status.CANCELLED.withDescription("closed").asRuntimeException());
    }
    if (ownTimers) {
      timers.shutdownNow();
    }
  }

  /** Takes a new specifier: what is checked, how often, and how often it is reported. */
  private synchronized void apply(HealthCheckSpecifier next) {
    specifier = next;
    cancelTimers();
    Map<String, Map<String, Checked>> before = new HashMap<>(checked);
    checked.clear();
    for (ClusterHealthCheck cluster : next.getClusterHealthChecksList()) {
      Map<String, Checked> endpoints = new LinkedHashMap<>();
      for (LocalityEndpoints locality : cluster.getLocalityEndpointsList()) {
        for (Endpoint endpoint : locality.getEndpointsList()) {
          String address = HealthProbe.address(endpoint);
          // An endpoint checked before keeps its run of results across a refreshed specifier.
          Checked kept = before.getOrDefault(cluster.getClusterName(), Map.of()).get(address);
          Checked check = new Checked(cluster, endpoint);
          if (kept != null) {
            check.status = kept.status;
            check.everPassed = kept.everPassed;
            check.successes = kept.successes;
            check.failures = kept.failures;
          }
          endpoints.put(address, check);
          if (activeChecks && cluster.getHealthChecksCount() > 0) {
            HealthCheck rule = cluster.getHealthChecks(0);
            long every = Math.max(10, Durations.toMillis(rule.getInterval()));
            scheduled.add(
                timers.scheduleWithFixedDelay(
                    () -> startCheck(check, rule), 0, every, TimeUnit.MILLISECONDS));
          }
        }
      }
      checked.put(cluster.getClusterName(), endpoints);
    }
    long reportEvery =
        next.hasInterval() && Durations.toMillis(next.getInterval()) > 0
            ? Durations.toMillis(next.getInterval())
            : DEFAULT_REPORT_INTERVAL.toMillis();
    scheduled.add(
        timers.scheduleAtFixedRate(this::report, reportEvery, reportEvery, TimeUnit.MILLISECONDS));
  }

  /** Runs one check off the timer thread (it may block up to its timeout); never two at once. */
  private void startCheck(Checked check, HealthCheck rule) {
    synchronized (this) {
      if (check.running) {
        return;
      }
      check.running = true;
    }
    Thread.ofVirtual()
        .start(
            () -> {
              boolean passed = HealthProbe.passes(check.endpoint, rule);
              synchronized (this) {
                check.running = false;
                record(check, rule, passed);
              }
            });
  }

  /** Envoy's thresholds: the first pass makes a new endpoint healthy, later flips need a run. */
  private static void record(Checked check, HealthCheck rule, boolean passed) {
    int healthyThreshold = Math.max(1, rule.getHealthyThreshold().getValue());
    int unhealthyThreshold = Math.max(1, rule.getUnhealthyThreshold().getValue());
    if (passed) {
      check.successes++;
      check.failures = 0;
      if (!check.everPassed || check.successes >= healthyThreshold) {
        check.status = HealthStatus.HEALTHY;
      }
      check.everPassed = true;
    } else {
      check.failures++;
      check.successes = 0;
      if (check.failures >= unhealthyThreshold) {
        check.status = HealthStatus.UNHEALTHY;
      }
    }
  }

  private void cancelTimers() {
    scheduled.forEach(task -> task.cancel(false));
    scheduled.clear();
  }

  private final class Specifiers implements StreamObserver<HealthCheckSpecifier> {
    @Override
    public void onNext(HealthCheckSpecifier next) {
      apply(next);
      List<Consumer<HealthCheckSpecifier>> listeners;
      synchronized (HdsClient.this) {
        listeners = List.copyOf(specifierListeners);
      }
      listeners.forEach(listener -> listener.accept(next));
    }

    @Override
    public void onError(Throwable error) {
      closedWith = Status.fromThrowable(error);
      synchronized (HdsClient.this) {
        cancelTimers();
      }
    }

    @Override
    public void onCompleted() {
      closedWith = Status.OK;
      synchronized (HdsClient.this) {
        cancelTimers();
      }
    }
  }

  public static final class Builder {
    private final Node node;
    private String token;
    private ScheduledExecutorService timers;
    private boolean activeChecks = true;

    private Builder(Node node) {
      this.node = node;
    }

    /** The dataplane token, sent as the stream's {@code authorization} metadata. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** Timers shared with other clients (a fleet); by default the client has its own thread. */
    public Builder timers(ScheduledExecutorService timers) {
      this.timers = timers;
      return this;
    }

    /** Whether to run the checks (true, as Envoy) or leave statuses to {@link #set}. */
    public Builder activeChecks(boolean activeChecks) {
      this.activeChecks = activeChecks;
      return this;
    }

    public HdsClient build() {
      return new HdsClient(this);
    }
  }
}
