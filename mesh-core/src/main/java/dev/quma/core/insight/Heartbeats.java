package dev.quma.core.insight;

import dev.quma.core.lease.Fence;
import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.store.Keys;
import dev.quma.core.store.LuaScript;
import dev.quma.core.store.StoreSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The lifecycle's view of the heartbeat sets that {@link InsightWriter} keeps for the xDS tier
 * ({@code online} and {@code lastseen}, scored by the last heartbeat in epoch ms): range queries
 * for the dataplanes that went quiet, and the atomic Offline mark. Everything here costs in
 * proportion to the quiet dataplanes asked for, never to all of them.
 */
public final class Heartbeats {
  private static final LuaScript MARK_OFFLINE =
      LuaScript.load(Heartbeats.class, MeshStatsStore.LUA_LIBRARY, "mark-offline.lua");

  private static final LuaScript CLOSE_DEAD =
      LuaScript.load(
          Heartbeats.class,
          MeshStatsStore.LUA_LIBRARY,
          InsightWriter.LIVE_LIBRARY,
          "close-dead.lua");

  private final Redis redis;
  private final Keys keys;
  private final long streamMaxLength;

  public Heartbeats(Redis redis, Keys keys) {
    this(redis, keys, StoreSettings.DEFAULTS.streamMaxLength());
  }

  /**
   * @param streamMaxLength how long the change streams are kept (an Offline mark appends a
   *     departure to them)
   */
  public Heartbeats(Redis redis, Keys keys, long streamMaxLength) {
    this.redis = redis;
    this.keys = keys;
    this.streamMaxLength = streamMaxLength;
  }

  /** Up to {@code limit} online dataplanes of a mesh not heard from since {@code cutoff}. */
  public Uni<List<String>> onlineButSilentSince(String mesh, Instant cutoff, int limit) {
    return rangeUpTo(keys.online(mesh), cutoff, 0, limit);
  }

  /** As {@link #onlineButSilentSince(String, Instant, int)}, skipping the first {@code offset}. */
  public Uni<List<String>> onlineButSilentSince(
      String mesh, Instant cutoff, long offset, int limit) {
    return rangeUpTo(keys.online(mesh), cutoff, offset, limit);
  }

  /**
   * Whether any xDS replica wrote its entry in the mesh's replicas hash (else none can be dead).
   */
  public Uni<Boolean> replicasKnown(String mesh) {
    return redis
        .send(Request.cmd(Command.HLEN).arg(keys.replicas(mesh)))
        .map(count -> count != null && count.toLong() > 0);
  }

  /** What {@link #closeDead} did with one dataplane. */
  public enum DeadClose {
    /** Its subscriptions of dead replicas were closed; it left the online set. */
    CLOSED,
    /** Some subscription of it is live: nothing written. */
    LIVE,
    NOT_ONLINE,
    FENCED
  }

  /**
   * Closes, for each named dataplane with no live subscription left, the subscriptions its dead
   * replicas never closed ({@code now} as disconnect time): it leaves the online set and has
   * departed (lost) unless it had already. One round trip; answers in the order of {@code names}.
   */
  public Uni<List<DeadClose>> closeDead(String mesh, List<String> names, Instant now, Fence fence) {
    List<LuaScript.Call> calls = new ArrayList<>(names.size());
    for (String name : names) {
      LuaScript.Call call =
          new LuaScript.Call()
              .key("insight", keys.insight(mesh, name))
              .key("fence", keys.fence(mesh, fence.lease()))
              .key("replicas", keys.replicas(mesh))
              .key("departures", keys.departures(mesh))
              .key("events", keys.events(mesh));
      calls.add(
          MeshStatsStore.counted(call, keys, mesh, name)
              .arg("name", name)
              .arg("nowMillis", now.toEpochMilli())
              .arg("now", now)
              .arg("token", fence.token())
              .arg("fenceExpiry", Fence.MEMORY.toMillis())
              .arg("mesh", mesh)
              .arg("maxlen", streamMaxLength)
              .arg("eventType", Departures.EVENT_TYPE));
    }
    return CLOSE_DEAD
        .runAll(redis, calls)
        .map(
            replies -> {
              List<DeadClose> outcomes = new ArrayList<>(replies.size());
              for (Response reply : replies) {
                outcomes.add(
                    DeadClose.valueOf(reply.toString().toUpperCase(java.util.Locale.ROOT)));
              }
              return outcomes;
            });
  }

  /**
   * Up to {@code limit} dataplanes of a mesh last heard from before {@code cutoff}, oldest first,
   * skipping the first {@code offset} of them.
   */
  public Uni<List<String>> lastSeenBefore(String mesh, Instant cutoff, long offset, int limit) {
    return rangeUpTo(keys.lastSeen(mesh), cutoff, offset, limit);
  }

  /**
   * Marks each named dataplane Offline if it is still online and still not heard from since {@code
   * cutoff}: its open subscriptions get {@code now} as disconnect time and it leaves the online
   * set; one without a departure is lost since {@code now}. Each is checked and marked atomically;
   * all go in one round trip. Answers in the order of {@code names}.
   */
  public Uni<List<OfflineMark>> markOffline(
      String mesh, List<String> names, Instant cutoff, Instant now, Fence fence) {
    List<LuaScript.Call> calls = new ArrayList<>(names.size());
    for (String name : names) {
      LuaScript.Call call =
          new LuaScript.Call()
              .key("insight", keys.insight(mesh, name))
              .key("fence", keys.fence(mesh, fence.lease()))
              .key("departures", keys.departures(mesh))
              .key("events", keys.events(mesh));
      calls.add(
          MeshStatsStore.counted(call, keys, mesh, name)
              .arg("name", name)
              .arg("cutoff", cutoff.toEpochMilli())
              .arg("now", now)
              .arg("token", fence.token())
              .arg("fenceExpiry", Fence.MEMORY.toMillis())
              .arg("nowMillis", now.toEpochMilli())
              .arg("mesh", mesh)
              .arg("maxlen", streamMaxLength)
              .arg("eventType", Departures.EVENT_TYPE));
    }
    return MARK_OFFLINE
        .runAll(redis, calls)
        .map(
            replies -> {
              List<OfflineMark> marks = new ArrayList<>(replies.size());
              for (Response reply : replies) {
                marks.add(
                    switch (reply.toString()) {
                      case "offline" -> OfflineMark.MARKED_OFFLINE;
                      case "heard_from" -> OfflineMark.HEARD_FROM;
                      case "not_online" -> OfflineMark.NOT_ONLINE;
                      case "fenced" -> OfflineMark.FENCED;
                      default ->
                          throw new IllegalStateException(
                              "unexpected mark-offline answer " + reply);
                    });
              }
              return marks;
            });
  }

  private Uni<List<String>> rangeUpTo(String key, Instant cutoff, long offset, int limit) {
    Request range =
        Request.cmd(Command.ZRANGEBYSCORE)
            .arg(key)
            .arg("-inf")
            .arg(cutoff.toEpochMilli())
            .arg("LIMIT")
            .arg(offset)
            .arg(limit);
    return redis
        .send(range)
        .map(
            reply -> {
              List<String> names = new ArrayList<>(reply == null ? 0 : reply.size());
              if (reply != null) {
                reply.forEach(name -> names.add(name.toString()));
              }
              return names;
            });
  }
}
