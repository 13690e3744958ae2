package dev.quma.core.insight;

import dev.quma.core.insight.ReplicaLiveness.Entry;
import dev.quma.core.store.Keys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The xDS replicas as their heartbeats tell of them: each replica renews its entry in the replicas
 * hash of every mesh it serves a proxy of ({@link ReplicaRun}), so the union of those hashes is the
 * set of replicas that serve proxies. A replica whose last heartbeat ran out longer ago than {@code
 * forgetAfter} is left out: it ended, and nothing removes its entries before its subscriptions are
 * closed.
 */
public final class XdsReplicas {
  /** One replica: its current run's start, until when its last heartbeat holds, what it serves. */
  public record XdsReplica(
      String instanceId,
      Instant startedAt,
      Instant heartbeatHoldsUntil,
      boolean online,
      List<String> meshes) {}

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final Duration forgetAfter;

  public XdsReplicas(Redis redis, Keys keys, Clock clock, Duration forgetAfter) {
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
    this.forgetAfter = forgetAfter;
  }

  /**
   * The replicas serving any of these meshes, online first, then by id. One read per mesh: each
   * mesh's hash lives in the mesh's own hash slot.
   */
  public Uni<List<XdsReplica>> list(List<String> meshes) {
    if (meshes.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Uni<Response>> reads = new ArrayList<>(meshes.size());
    for (String mesh : meshes) {
      reads.add(redis.send(Request.cmd(Command.HGETALL).arg(keys.replicas(mesh))));
    }
    return Uni.join()
        .all(reads)
        .andFailFast()
        .map(hashes -> merge(meshes, hashes, clock.instant()));
  }

  private List<XdsReplica> merge(List<String> meshes, List<Response> hashes, Instant now) {
    Map<String, Entry> latest = new TreeMap<>();
    Map<String, TreeSet<String>> served = new TreeMap<>();
    for (int i = 0; i < meshes.size(); i++) {
      String mesh = meshes.get(i);
      ReplicaLiveness.entries(hashes.get(i))
          .forEach(
              (instance, entry) -> {
                latest.merge(instance, entry, XdsReplicas::later);
                served.computeIfAbsent(instance, any -> new TreeSet<>()).add(mesh);
              });
    }
    long forgottenBefore = now.minus(forgetAfter).toEpochMilli();
    List<XdsReplica> replicas = new ArrayList<>();
    latest.forEach(
        (instance, entry) -> {
          if (entry.expiresMillis() >= forgottenBefore) {
            replicas.add(
                new XdsReplica(
                    instance,
                    Instant.ofEpochMilli(entry.startMillis()),
                    Instant.ofEpochMilli(entry.expiresMillis()),
                    entry.expiresMillis() >= now.toEpochMilli(),
                    List.copyOf(served.get(instance))));
          }
        });
    replicas.sort(Comparator.comparing((XdsReplica replica) -> !replica.online()));
    return replicas;
  }

  /** The entry of the replica's latest run, and its latest heartbeat within that run. */
  private static Entry later(Entry a, Entry b) {
    if (a.startMillis() != b.startMillis()) {
      return a.startMillis() > b.startMillis() ? a : b;
    }
    return a.expiresMillis() >= b.expiresMillis() ? a : b;
  }
}
