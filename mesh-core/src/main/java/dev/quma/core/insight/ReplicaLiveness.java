package dev.quma.core.insight;

import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import io.vertx.mutiny.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which open subscriptions of a mesh are live, as {@code live-lib.lua} decides it in the scripts:
 * open, and its replica's entry in the mesh's replicas hash not expired, and opened by that run of
 * the replica. A replica without an entry (one that does not write them) is trusted.
 */
public final class ReplicaLiveness {
  /** A replica's entry: when its current run started, and until when its last heartbeat holds. */
  record Entry(long startMillis, long expiresMillis) {}

  private final Map<String, Entry> replicas;
  private final long nowMillis;

  private ReplicaLiveness(Map<String, Entry> replicas, long nowMillis) {
    this.replicas = replicas;
    this.nowMillis = nowMillis;
  }

  /** From the reply to {@code HGETALL} of the replicas hash (RESP2 list or RESP3 map). */
  static ReplicaLiveness of(Response hash, Instant now) {
    return new ReplicaLiveness(entries(hash), now.toEpochMilli());
  }

  /**
   * The entries of a replicas hash, from the reply to {@code HGETALL} (RESP2 list or RESP3 map).
   */
  static Map<String, Entry> entries(Response hash) {
    Map<String, Entry> replicas = new HashMap<>();
    if (hash != null) {
      if (hash.getDelegate().isMap()) {
        for (String instance : hash.getKeys()) {
          put(replicas, instance, hash.get(instance).toString());
        }
      } else {
        for (int i = 0; i + 1 < hash.size(); i += 2) {
          put(replicas, hash.get(i).toString(), hash.get(i + 1).toString());
        }
      }
    }
    return replicas;
  }

  private static void put(Map<String, Entry> into, String instance, String stored) {
    int colon = stored.indexOf(':');
    try {
      into.put(
          instance,
          new Entry(
              Long.parseLong(stored.substring(0, colon)),
              Long.parseLong(stored.substring(colon + 1))));
    } catch (RuntimeException e) {
      // not an entry this version writes: the replica is trusted, as one without an entry
    }
  }

  /**
   * The insight as it stands: each open subscription whose replica is not live shows as closed,
   * when its replica's last heartbeat ran out (or its new run started).
   */
  DataplaneInsight settle(DataplaneInsight insight) {
    List<DiscoverySubscription> settled = null;
    List<DiscoverySubscription> subscriptions = insight.subscriptions();
    for (int i = 0; i < subscriptions.size(); i++) {
      DiscoverySubscription subscription = subscriptions.get(i);
      Instant endedAt = endOf(subscription);
      if (endedAt != null) {
        if (settled == null) {
          settled = new ArrayList<>(subscriptions);
        }
        settled.set(i, closedAt(subscription, endedAt));
      }
    }
    return settled == null
        ? insight
        : new DataplaneInsight(settled, insight.mTLS(), insight.metadata());
  }

  /** When an open subscription ended with its replica; null while it is live (or closed). */
  private Instant endOf(DiscoverySubscription subscription) {
    if (subscription.connectTime() == null || subscription.disconnectTime() != null) {
      return null;
    }
    Entry replica = replicas.get(subscription.controlPlaneInstanceId());
    if (replica == null) {
      return null;
    }
    if (subscription.connectTime().toEpochMilli() < replica.startMillis()) {
      return Instant.ofEpochMilli(replica.startMillis()); // opened by a run that is over
    }
    if (replica.expiresMillis() < nowMillis) {
      return Instant.ofEpochMilli(replica.expiresMillis());
    }
    return null;
  }

  private static DiscoverySubscription closedAt(DiscoverySubscription open, Instant endedAt) {
    return new DiscoverySubscription(
        open.id(),
        open.controlPlaneInstanceId(),
        open.connectTime(),
        endedAt,
        open.status(),
        open.version(),
        open.generation());
  }
}
