package dev.quma.xds.streams;

import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.DataplaneInsight.Stats;
import dev.quma.xds.admission.AdmittedProxy;
import dev.quma.xds.snapshot.ProxyKey;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * One ADS stream of one proxy on this replica, as Kuma's insight records it: a subscription with
 * its connect time and, per xDS type, how many responses were sent, acknowledged and rejected.
 * Counters are updated from gRPC threads; the insight writer reads a consistent copy.
 */
public final class StreamSession {
  /** The xDS types Kuma's insight counts separately. */
  public enum XdsType {
    CDS("type.googleapis.com/envoy.config.cluster.v3.Cluster"),
    EDS("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"),
    LDS("type.googleapis.com/envoy.config.listener.v3.Listener"),
    RDS("type.googleapis.com/envoy.config.route.v3.RouteConfiguration");

    final String typeUrl;

    XdsType(String typeUrl) {
      this.typeUrl = typeUrl;
    }

    public static XdsType of(String typeUrl) {
      for (XdsType type : values()) {
        if (type.typeUrl.equals(typeUrl)) {
          return type;
        }
      }
      return null;
    }
  }

  private final ProxyKey key;
  private final String proxyInstance;
  private final boolean direct;
  private final String controlPlaneInstanceId;
  private final Instant connectTime;
  private final DataplaneInsight.Version version;
  private final ConfigMemory config;
  private volatile String subscriptionId = UUID.randomUUID().toString();
  private final Map<XdsType, long[]> counters = new EnumMap<>(XdsType.class);
  private Instant lastUpdate;
  private boolean dirty = true;
  private volatile String lastNack;
  private volatile boolean ended;
  private volatile String token;
  private volatile java.util.function.Consumer<io.grpc.Status> terminator;
  private volatile AdmittedProxy admitted;

  /**
   * @param proxyInstance the proxy process's instance id from its node metadata; null when it sent
   *     none
   */
  public StreamSession(
      ProxyKey key,
      String proxyInstance,
      boolean direct,
      String controlPlaneInstanceId,
      Instant connectTime,
      DataplaneInsight.Version version,
      ConfigMemory config) {
    this.key = key;
    this.proxyInstance = proxyInstance;
    this.direct = direct;
    this.controlPlaneInstanceId = controlPlaneInstanceId;
    this.connectTime = connectTime;
    this.version = version;
    this.config = config;
    for (XdsType type : XdsType.values()) {
      counters.put(type, new long[3]);
    }
  }

  public ProxyKey key() {
    return key;
  }

  /** Which process of the proxy this stream is of; null when it does not say. */
  public String proxyInstance() {
    return proxyInstance;
  }

  /**
   * The token the stream was admitted with and how to end the stream, so that a token revoked while
   * the stream is open ends it.
   */
  public void bind(String token, java.util.function.Consumer<io.grpc.Status> terminator) {
    this.token = token;
    this.terminator = terminator;
  }

  public String token() {
    return token;
  }

  /**
   * The store that had the token's signing key lost its data: the token is not checked again (it
   * was admitted, and no key in the new store can tell it apart from a forgery). On its next
   * connect, the proxy needs a token of the new store.
   */
  public void admittedByALostStore() {
    this.token = null;
  }

  /** Ends the stream with {@code status} (the proxy is told why; its subscription closes). */
  public void terminate(io.grpc.Status status) {
    java.util.function.Consumer<io.grpc.Status> end = terminator;
    if (end != null) {
      end.accept(status);
    }
  }

  /**
   * What the stream was admitted as: a Direct proxy's registration, to write again after a wipe.
   */
  public void admittedAs(AdmittedProxy proxy) {
    this.admitted = proxy;
  }

  public AdmittedProxy admitted() {
    return admitted;
  }

  public boolean direct() {
    return direct;
  }

  /** What this stream sent and what the proxy acknowledged or rejected (for the config dump). */
  public ConfigMemory config() {
    return config;
  }

  public String subscriptionId() {
    return subscriptionId;
  }

  /**
   * After the subscription was closed by someone else (the lifecycle sweep): continue under a new
   * one.
   */
  public void renewSubscription() {
    subscriptionId = UUID.randomUUID().toString();
    markDirty();
  }

  /** The stream has ended: its subscription must never be opened again. */
  public void end() {
    ended = true;
  }

  public boolean ended() {
    return ended;
  }

  public synchronized void sent(String typeUrl, Instant now) {
    count(typeUrl, 0, now);
  }

  public synchronized void acknowledged(String typeUrl, Instant now) {
    count(typeUrl, 1, now);
  }

  public synchronized void rejected(String typeUrl, String errorMessage, Instant now) {
    lastNack = errorMessage;
    count(typeUrl, 2, now);
  }

  /** How many responses of this type the proxy answered (ACK or NACK) on this stream. */
  public synchronized long answers(XdsType type) {
    long[] counts = counters.get(type);
    return counts[1] + counts[2];
  }

  public String lastNack() {
    return lastNack;
  }

  private void count(String typeUrl, int which, Instant now) {
    XdsType type = XdsType.of(typeUrl);
    if (type != null) {
      counters.get(type)[which]++;
    }
    lastUpdate = now;
    dirty = true;
  }

  public synchronized void markDirty() {
    dirty = true;
  }

  /** True once, after each change since the last call. */
  public synchronized boolean takeDirty() {
    boolean was = dirty;
    dirty = false;
    return was;
  }

  public synchronized long rejectedTotal() {
    return counters.values().stream().mapToLong(c -> c[2]).sum();
  }

  /** The subscription as it stands; {@code disconnectTime} set when the stream has closed. */
  public synchronized DiscoverySubscription subscription(Instant disconnectTime) {
    long[] total = new long[3];
    Map<XdsType, Stats> perType = new EnumMap<>(XdsType.class);
    counters.forEach(
        (type, c) -> {
          perType.put(type, new Stats(c[0], c[1], c[2]));
          for (int i = 0; i < 3; i++) {
            total[i] += c[i];
          }
        });
    DataplaneInsight.DiscoveryServiceStats status =
        new DataplaneInsight.DiscoveryServiceStats(
            lastUpdate,
            new Stats(total[0], total[1], total[2]),
            perType.get(XdsType.CDS),
            perType.get(XdsType.EDS),
            perType.get(XdsType.LDS),
            perType.get(XdsType.RDS));
    return new DiscoverySubscription(
        subscriptionId, controlPlaneInstanceId, connectTime, disconnectTime, status, version, 0);
  }
}
