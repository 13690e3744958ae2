package dev.quma.envoysim;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Code;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.BuildVersion;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.envoyproxy.envoy.type.v3.SemanticVersion;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A stand-in for Envoy on an ADS stream, over real gRPC: it sends its node on the first request
 * only (as Envoy does with Kuma's bootstrap), asks for clusters and listeners, subscribes to the
 * endpoints of its EDS clusters, and acknowledges or rejects each response with its nonce, in
 * state-of-the-world or Delta mode. Tests and benchmarks read what it holds.
 */
public final class SimulatedEnvoy implements AutoCloseable {
  public static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String ENDPOINTS =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  public static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";

  public enum Mode {
    SOTW,
    DELTA
  }

  /** A response as received, offered to the rejection rule before it is applied. */
  public record Update(String typeUrl, String version, List<Message> resources) {}

  private final Node node;
  private final String token;
  private final Mode mode;
  private final Predicate<Update> rejects;
  private String holding; // a type whose responses wait unanswered, as a slow proxy's would
  private final List<Runnable> held = new ArrayList<>();
  private final Map<String, Integer> received = new HashMap<>();
  private final Map<String, Cluster> clusters = new TreeMap<>();
  private final Map<String, Listener> listeners = new TreeMap<>();
  private final Map<String, ClusterLoadAssignment> endpoints = new TreeMap<>();
  private final Map<String, String> acceptedVersions = new HashMap<>();
  private final Map<String, Integer> acks = new HashMap<>();
  private final Map<String, Integer> nacks = new HashMap<>();
  private final Set<String> edsSubscription = new TreeSet<>();
  private final List<Consumer<String>> updateListeners = new CopyOnWriteArrayList<>();
  private boolean nodeSent;
  private StreamObserver<DiscoveryRequest> sotw;
  private StreamObserver<DeltaDiscoveryRequest> delta;
  private ClientCallStreamObserver<?> call;
  private volatile Status closedWith;
  private volatile boolean completed;

  private SimulatedEnvoy(Builder builder) {
    this.token = builder.token;
    this.mode = builder.mode;
    this.rejects = builder.rejects;
    this.holding = builder.holding;
    if (builder.node != null) {
      this.node = builder.node;
      return;
    }
    Struct.Builder metadata =
        Struct.newBuilder().putFields("dataplane.proxyType", string("dataplane"));
    if (builder.dataplaneResource != null) {
      metadata.putFields("dataplane.resource", string(builder.dataplaneResource));
    }
    if (builder.proxyInstance != null) {
      metadata.putFields("quma.proxyInstance", string(builder.proxyInstance));
    }
    this.node =
        Node.newBuilder()
            .setId(builder.nodeId)
            .setCluster(builder.service == null ? "" : builder.service)
            .setUserAgentName("envoy")
            .setUserAgentBuildVersion(
                BuildVersion.newBuilder()
                    .setVersion(
                        SemanticVersion.newBuilder()
                            .setMajorNumber(1)
                            .setMinorNumber(31)
                            .setPatch(2)))
            .setMetadata(metadata)
            .build();
  }

  public static Builder builder(String nodeId) {
    return new Builder(nodeId);
  }

  /** Opens the ADS stream on {@code channel} and sends the first requests (clusters, listeners). */
  public synchronized SimulatedEnvoy connect(Channel channel) {
    AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub =
        AggregatedDiscoveryServiceGrpc.newStub(channel);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    if (mode == Mode.SOTW) {
      sotw = stub.streamAggregatedResources(new SotwResponses());
      sendSotw(CLUSTERS, "", "", List.of(), null);
      sendSotw(LISTENERS, "", "", List.of(), null);
    } else {
      delta = stub.deltaAggregatedResources(new DeltaResponses());
      sendDelta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CLUSTERS));
      sendDelta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(LISTENERS));
    }
    return this;
  }

  // ---- what it holds ---------------------------------------------------------------------------

  public synchronized Map<String, Cluster> clusters() {
    return Map.copyOf(clusters);
  }

  public synchronized Map<String, Listener> listeners() {
    return Map.copyOf(listeners);
  }

  public synchronized Map<String, ClusterLoadAssignment> endpoints() {
    return Map.copyOf(endpoints);
  }

  /** The endpoints of a cluster as {@code address:port}, sorted. */
  public synchronized List<String> endpointAddresses(String cluster) {
    ClusterLoadAssignment assignment = endpoints.get(cluster);
    List<String> out = new ArrayList<>();
    if (assignment != null) {
      for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
        for (LbEndpoint lb : locality.getLbEndpointsList()) {
          var socket = lb.getEndpoint().getAddress().getSocketAddress();
          out.add(socket.getAddress() + ":" + socket.getPortValue());
        }
      }
    }
    out.sort(null);
    return out;
  }

  public synchronized int acks(String typeUrl) {
    return acks.getOrDefault(typeUrl, 0);
  }

  /** Responses of this type received, answered or not. */
  public synchronized int responses(String typeUrl) {
    return received.getOrDefault(typeUrl, 0);
  }

  /** Responses waiting unanswered (see {@link Builder#holdingAnswers}). */
  public synchronized int heldResponses() {
    return held.size();
  }

  /** Answers the held responses in order, and from now on answers every response at once. */
  public synchronized void releaseAnswers() {
    holding = null;
    List<Runnable> answers = List.copyOf(held);
    held.clear();
    answers.forEach(Runnable::run);
  }

  public synchronized int nacks(String typeUrl) {
    return nacks.getOrDefault(typeUrl, 0);
  }

  public synchronized String acceptedVersion(String typeUrl) {
    return acceptedVersions.get(typeUrl);
  }

  /** The status the control plane ended the stream with, or null while it is open. */
  public Status closedWith() {
    return closedWith;
  }

  /** Called (on a gRPC thread) with the type of each response it accepted. */
  public void onUpdate(Consumer<String> listener) {
    updateListeners.add(listener);
  }

  /**
   * True once clusters and listeners, and endpoints for every EDS cluster, were received and ACKed.
   */
  public synchronized boolean configured() {
    boolean base =
        acceptedVersions.containsKey(CLUSTERS) && acceptedVersions.containsKey(LISTENERS);
    return base && (edsSubscription.isEmpty() || acceptedVersions.containsKey(ENDPOINTS));
  }

  /** Waits until {@code condition} holds; false on timeout or when the stream closed first. */
  public boolean await(java.time.Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (closedWith != null || completed) {
        return condition.getAsBoolean();
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  // ---- leaving
  // -----------------------------------------------------------------------------------

  /** Leaves gracefully: the stream is half-closed, as when Envoy stops after draining. */
  public synchronized void leave() {
    if (sotw != null) {
      sotw.onCompleted();
    } else if (delta != null) {
      delta.onCompleted();
    }
  }

  /** Drops the stream without a word, as a crashed proxy or a broken network would. */
  public synchronized void drop() {
    if (call != null) {
      call.cancel("simulated connection loss", null);
    }
  }

  @Override
  public void close() {
    drop();
  }

  // ---- state of the world
  // -------------------------------------------------------------------------

  private synchronized void onSotw(DiscoveryResponse response) {
    received.merge(response.getTypeUrl(), 1, Integer::sum);
    if (response.getTypeUrl().equals(holding)) {
      held.add(() -> answerSotw(response));
      return;
    }
    answerSotw(response);
  }

  private synchronized void answerSotw(DiscoveryResponse response) {
    List<Message> resources = decode(response.getResourcesList());
    String type = response.getTypeUrl();
    if (rejects.test(new Update(type, response.getVersionInfo(), resources))) {
      nacks.merge(type, 1, Integer::sum);
      sendSotw(
          type,
          acceptedVersions.getOrDefault(type, ""),
          response.getNonce(),
          names(type),
          "simulated rejection of version " + response.getVersionInfo());
      return;
    }
    apply(type, resources, List.of(), true);
    acceptedVersions.put(type, response.getVersionInfo());
    acks.merge(type, 1, Integer::sum);
    sendSotw(type, response.getVersionInfo(), response.getNonce(), names(type), null);
    if (type.equals(CLUSTERS) && refreshEdsSubscription() != null) {
      sendSotw(
          ENDPOINTS,
          acceptedVersions.getOrDefault(ENDPOINTS, ""),
          "",
          List.copyOf(edsSubscription),
          null);
    }
    notifyUpdate(type);
  }

  private void sendSotw(
      String type, String version, String nonce, List<String> names, String error) {
    DiscoveryRequest.Builder request =
        DiscoveryRequest.newBuilder()
            .setTypeUrl(type)
            .setVersionInfo(version)
            .setResponseNonce(nonce)
            .addAllResourceNames(names);
    if (!nodeSent) {
      request.setNode(node);
      nodeSent = true;
    }
    if (error != null) {
      request.setErrorDetail(
          com.google.rpc.Status.newBuilder()
              .setCode(Code.INVALID_ARGUMENT_VALUE)
              .setMessage(error));
    }
    sotw.onNext(request.build());
  }

  private List<String> names(String type) {
    return type.equals(ENDPOINTS) ? List.copyOf(edsSubscription) : List.of();
  }

  // ---- delta -----------------------------------------------------------------------------------

  private synchronized void onDelta(DeltaDiscoveryResponse response) {
    received.merge(response.getTypeUrl(), 1, Integer::sum);
    if (response.getTypeUrl().equals(holding)) {
      held.add(() -> answerDelta(response));
      return;
    }
    answerDelta(response);
  }

  private synchronized void answerDelta(DeltaDiscoveryResponse response) {
    String type = response.getTypeUrl();
    List<Message> resources = new ArrayList<>();
    for (Resource resource : response.getResourcesList()) {
      resources.add(unpack(resource.getResource()));
    }
    if (rejects.test(new Update(type, response.getSystemVersionInfo(), resources))) {
      nacks.merge(type, 1, Integer::sum);
      sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(type)
              .setResponseNonce(response.getNonce())
              .setErrorDetail(
                  com.google.rpc.Status.newBuilder()
                      .setCode(Code.INVALID_ARGUMENT_VALUE)
                      .setMessage("simulated rejection")));
      return;
    }
    apply(type, resources, response.getRemovedResourcesList(), false);
    acceptedVersions.put(type, response.getSystemVersionInfo());
    acks.merge(type, 1, Integer::sum);
    sendDelta(
        DeltaDiscoveryRequest.newBuilder().setTypeUrl(type).setResponseNonce(response.getNonce()));
    if (type.equals(CLUSTERS)) {
      Set<String> before = new TreeSet<>(edsSubscription);
      if (refreshEdsSubscription() != null) {
        DeltaDiscoveryRequest.Builder change =
            DeltaDiscoveryRequest.newBuilder().setTypeUrl(ENDPOINTS);
        edsSubscription.stream()
            .filter(n -> !before.contains(n))
            .forEach(change::addResourceNamesSubscribe);
        before.stream()
            .filter(n -> !edsSubscription.contains(n))
            .forEach(change::addResourceNamesUnsubscribe);
        sendDelta(change);
      }
    }
    notifyUpdate(type);
  }

  private void sendDelta(DeltaDiscoveryRequest.Builder request) {
    if (!nodeSent) {
      request.setNode(node);
      nodeSent = true;
    }
    delta.onNext(request.build());
  }

  // ---- shared ----------------------------------------------------------------------------------

  private void apply(
      String type, List<Message> resources, List<String> removed, boolean stateOfTheWorld) {
    switch (type) {
      case CLUSTERS ->
          replace(clusters, resources, removed, stateOfTheWorld, Cluster.class, Cluster::getName);
      case LISTENERS ->
          replace(
              listeners, resources, removed, stateOfTheWorld, Listener.class, Listener::getName);
      case ENDPOINTS -> {
        // SotW EDS answers carry the subscribed assignments; Delta only the changed ones.
        replace(
            endpoints,
            resources,
            removed,
            false,
            ClusterLoadAssignment.class,
            ClusterLoadAssignment::getClusterName);
        endpoints.keySet().retainAll(edsSubscription);
      }
      default -> {}
    }
  }

  private static <T extends Message> void replace(
      Map<String, T> into,
      List<Message> resources,
      List<String> removed,
      boolean whole,
      Class<T> kind,
      java.util.function.Function<T, String> name) {
    if (whole) {
      into.clear();
    }
    removed.forEach(into::remove);
    for (Message resource : resources) {
      T typed = kind.cast(resource);
      into.put(name.apply(typed), typed);
    }
  }

  /** Re-derives the EDS clusters to subscribe to; returns them when they changed, else null. */
  private Set<String> refreshEdsSubscription() {
    Set<String> wanted = new TreeSet<>();
    for (Cluster cluster : clusters.values()) {
      if (cluster.getType() == Cluster.DiscoveryType.EDS) {
        wanted.add(
            cluster.getEdsClusterConfig().getServiceName().isEmpty()
                ? cluster.getName()
                : cluster.getEdsClusterConfig().getServiceName());
      }
    }
    if (wanted.equals(edsSubscription)) {
      return null;
    }
    edsSubscription.clear();
    edsSubscription.addAll(wanted);
    endpoints.keySet().retainAll(wanted);
    return wanted;
  }

  private void notifyUpdate(String type) {
    for (Consumer<String> listener : updateListeners) {
      listener.accept(type);
    }
  }

  private static List<Message> decode(List<Any> resources) {
    List<Message> out = new ArrayList<>(resources.size());
    for (Any any : resources) {
      out.add(unpack(any));
    }
    return out;
  }

  private static Message unpack(Any any) {
    try {
      return switch (any.getTypeUrl()) {
        case CLUSTERS -> any.unpack(Cluster.class);
        case LISTENERS -> any.unpack(Listener.class);
        case ENDPOINTS -> any.unpack(ClusterLoadAssignment.class);
        default -> any;
      };
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable " + any.getTypeUrl(), e);
    }
  }

  private static Value string(String text) {
    return Value.newBuilder().setStringValue(text).build();
  }

  private abstract class Responses<Q, R> implements ClientResponseObserver<Q, R> {
    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
      call = requestStream;
    }

    @Override
    public void onError(Throwable error) {
      closedWith = Status.fromThrowable(error);
    }

    @Override
    public void onCompleted() {
      completed = true;
      closedWith = Status.OK;
    }
  }

  private final class SotwResponses extends Responses<DiscoveryRequest, DiscoveryResponse> {
    @Override
    public void onNext(DiscoveryResponse response) {
      onSotw(response);
    }
  }

  private final class DeltaResponses
      extends Responses<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
    @Override
    public void onNext(DeltaDiscoveryResponse response) {
      onDelta(response);
    }
  }

  /** How to build a simulated Envoy; by default SotW, accepting everything. */
  public static final class Builder {
    private final String nodeId;
    private String service;
    private String dataplaneResource;
    private String proxyInstance;
    private String token;
    private Mode mode = Mode.SOTW;
    private Predicate<Update> rejects = update -> false;
    private String holding;
    private Node node;

    private Builder(String nodeId) {
      this.nodeId = nodeId;
    }

    /** The {@code kuma.io/service} of its first inbound (Envoy's node cluster). */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /** Direct mode: the Dataplane resource (JSON or YAML) in the node metadata. */
    public Builder dataplaneResource(String resource) {
      this.dataplaneResource = resource;
      return this;
    }

    /**
     * The proxy instance id a bootstrap from bootstrap-service puts in the node metadata ({@code
     * quma.proxyInstance}): the same for streams of one proxy process, a new one for each process.
     */
    public Builder proxyInstance(String instance) {
      this.proxyInstance = instance;
      return this;
    }

    /** The dataplane token, sent as the stream's {@code authorization} metadata. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /**
     * The whole node as a bootstrap file gives it (id, cluster, metadata); replaces what {@link
     * #service} and {@link #dataplaneResource} would build.
     */
    public Builder node(Node node) {
      this.node = node;
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = mode;
      return this;
    }

    /** Responses this Envoy rejects (NACKs) instead of applying. */
    public Builder rejecting(Predicate<Update> rule) {
      this.rejects = rule;
      return this;
    }

    /**
     * Responses of this type are received but neither applied nor answered until {@link
     * #releaseAnswers}, as by a proxy busy elsewhere.
     */
    public Builder holdingAnswers(String typeUrl) {
      this.holding = typeUrl;
      return this;
    }

    public SimulatedEnvoy build() {
      return new SimulatedEnvoy(this);
    }
  }
}
