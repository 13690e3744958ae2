package dev.quma.core.insight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.DataplaneInsight.DiscoveryServiceStats;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.model.ResourceType;
import dev.quma.core.stats.DataplaneClass;
import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.store.Keys;
import dev.quma.core.store.LuaScript;
import dev.quma.core.store.StoreSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes Kuma-shaped dataplane insights, as the xDS tier learns them: a subscription is opened when
 * a stream is admitted, its counters are written in batches, heartbeats refresh the lifecycle sets,
 * and the subscription is closed when the stream ends. Each step is one Lua script, so that several
 * replicas (and the lifecycle sweep) never overwrite each other's subscriptions; opening and
 * closing keep the mesh's dataplane counters in the same script. Nothing is written for a dataplane
 * that does not exist, so a deleted one leaves nothing behind.
 */
public final class InsightWriter {
  /** Which subscriptions are live: put in front of the scripts that ask. */
  public static final String LIVE_LIBRARY = "/dev/quma/core/insight/live-lib.lua";

  private static final int SUBSCRIPTIONS_KEPT = 10;
  private static final int HEARTBEATS_PER_SCRIPT = 500;
  private static final LuaScript OPEN =
      LuaScript.load(
          InsightWriter.class, MeshStatsStore.LUA_LIBRARY, LIVE_LIBRARY, "open-subscription.lua");
  private static final LuaScript UPDATE =
      LuaScript.load(InsightWriter.class, "update-subscription.lua");
  private static final LuaScript CLOSE =
      LuaScript.load(
          InsightWriter.class, MeshStatsStore.LUA_LIBRARY, LIVE_LIBRARY, "close-subscription.lua");
  private static final LuaScript HEARTBEAT = LuaScript.load(InsightWriter.class, "heartbeat.lua");

  private final Redis redis;
  private final Keys keys;
  private final long streamMaxLength;
  private final ObjectMapper json = ResourceCodec.instance().json();

  public InsightWriter(Redis redis, Keys keys) {
    this(redis, keys, StoreSettings.DEFAULTS.streamMaxLength());
  }

  /**
   * @param streamMaxLength how long the change streams are kept (departures append to them)
   */
  public InsightWriter(Redis redis, Keys keys, long streamMaxLength) {
    this.redis = redis;
    this.keys = keys;
    this.streamMaxLength = streamMaxLength;
  }

  /**
   * Adds an open subscription to the dataplane's insight and records the heartbeat {@code now} (in
   * {@code lastseen} and {@code online}); a departure of the proxy goes. False when the dataplane
   * does not exist.
   */
  public Uni<Boolean> open(
      String mesh, String name, DiscoverySubscription subscription, Instant now) {
    return open(mesh, name, subscription, now, null);
  }

  /**
   * As {@link #open(String, String, DiscoverySubscription, Instant)}, by replica run {@code run},
   * whose entry in the mesh's replicas hash is renewed (null: none written).
   */
  public Uni<Boolean> open(
      String mesh, String name, DiscoverySubscription subscription, Instant now, ReplicaRun run) {
    return openAs(mesh, name, subscription, null, now, run)
        .map(opening -> opening.outcome() == Opening.Outcome.OPENED);
  }

  /** What {@link #openAs} did, and who holds the name when it opened nothing. */
  public record Opening(Outcome outcome, Holder holder) {
    public enum Outcome {
      OPENED,
      /** The dataplane does not exist: nothing written. */
      NO_DATAPLANE,
      /** Another proxy instance holds a live subscription under the name: nothing written. */
      HELD
    }
  }

  /** The claim a proxy instance makes on its name, and what a live claim of another one is. */
  public record Claim(String proxyInstance, Duration heartbeatWithin) {}

  /**
   * The holder of a live subscription: the replica serving it ({@code controlPlaneInstanceId}) and
   * since when (its {@code connectTime}, as stored).
   */
  public record Holder(String replica, String since) {}

  /**
   * As {@link #open(String, String, DiscoverySubscription, Instant, ReplicaRun)}, for a stream of
   * the proxy instance {@code claim} names (null or no instance: unknown). Nothing is opened while
   * another known instance holds a subscription that is live (its replica's heartbeat vouches for
   * it) under a name whose heartbeat is at most {@code claim.heartbeatWithin} old: the check and
   * the open are one script, so two replicas admitting two proxies at once cannot both win.
   */
  public Uni<Opening> openAs(
      String mesh,
      String name,
      DiscoverySubscription subscription,
      Claim claim,
      Instant now,
      ReplicaRun run) {
    String instance = claim == null || claim.proxyInstance() == null ? "" : claim.proxyInstance();
    long heldSince =
        claim == null ? now.toEpochMilli() : now.minus(claim.heartbeatWithin()).toEpochMilli();
    LuaScript.Call call =
        counted(new LuaScript.Call(), mesh, name)
            .key("insight", keys.insight(mesh, name))
            .key("lastSeen", keys.lastSeen(mesh))
            .key("departures", keys.departures(mesh))
            .key("events", keys.events(mesh))
            .arg("subscription", write(subscription))
            .arg("now", now.toEpochMilli())
            .arg("name", name)
            .arg("keep", SUBSCRIPTIONS_KEPT)
            .arg("kumaDp", DataplaneClass.kumaDpVersion(subscription.version()))
            .arg("envoy", DataplaneClass.envoyVersion(subscription.version()))
            .arg("mesh", mesh)
            .arg("maxlen", streamMaxLength)
            .arg("eventType", Departures.EVENT_TYPE)
            .key("replicas", keys.replicas(mesh))
            .arg("instance", run == null ? "" : run.instanceId())
            .arg("replica", run == null ? "" : run.stored(now))
            .arg("proxyInstance", instance)
            .arg("heldSince", heldSince);
    return OPEN.run(redis, call)
        .map(
            reply ->
                switch (reply.get(0).toInteger()) {
                  case 1 -> new Opening(Opening.Outcome.OPENED, null);
                  case 2 ->
                      new Opening(
                          Opening.Outcome.HELD,
                          new Holder(reply.get(1).toString(), reply.get(2).toString()));
                  default -> new Opening(Opening.Outcome.NO_DATAPLANE, null);
                });
  }

  /** New counters of one open subscription. */
  public record StatusUpdate(
      String mesh, String name, String subscriptionId, DiscoveryServiceStats status) {}

  /** What {@link #update} did with one {@link StatusUpdate}. */
  public enum Updated {
    WRITTEN,
    /** The dataplane or its subscription is gone: nothing written. */
    GONE,
    /** Someone else (the lifecycle sweep) closed the subscription: it needs a new one. */
    CLOSED
  }

  /** Writes the counters of several subscriptions in one round trip; answers in their order. */
  public Uni<List<Updated>> update(List<StatusUpdate> updates) {
    List<LuaScript.Call> calls = new ArrayList<>(updates.size());
    for (StatusUpdate update : updates) {
      calls.add(
          new LuaScript.Call()
              .key("record", keys.record(ResourceType.DATAPLANE, update.mesh(), update.name()))
              .key("insight", keys.insight(update.mesh(), update.name()))
              .arg("id", update.subscriptionId())
              .arg("status", write(update.status())));
    }
    return UPDATE
        .runAll(redis, calls)
        .map(
            replies -> {
              List<Updated> outcomes = new ArrayList<>(replies.size());
              for (Response reply : replies) {
                outcomes.add(
                    switch (reply.toInteger()) {
                      case 1 -> Updated.WRITTEN;
                      case 2 -> Updated.CLOSED;
                      default -> Updated.GONE;
                    });
              }
              return outcomes;
            });
  }

  /**
   * Refreshes the heartbeat of connected proxies, per mesh, to {@code now}; answers, per mesh, the
   * names that had fallen out of the online set (the lifecycle sweep closed them meanwhile: their
   * heartbeat is not refreshed, and their streams need a new subscription).
   */
  public Uni<Map<String, Set<String>>> heartbeat(
      Map<String, ? extends Collection<String>> namesByMesh, Instant now) {
    return heartbeat(namesByMesh, now, null);
  }

  /**
   * As {@link #heartbeat(Map, Instant)}, by replica run {@code run}, whose entry in each mesh's
   * replicas hash is renewed with it (null: none written).
   */
  public Uni<Map<String, Set<String>>> heartbeat(
      Map<String, ? extends Collection<String>> namesByMesh, Instant now, ReplicaRun run) {
    List<LuaScript.Call> calls = new ArrayList<>();
    List<String> meshes = new ArrayList<>();
    namesByMesh.forEach(
        (mesh, named) -> {
          // Bounded scripts: Redis runs one at a time, so no call may hold it for long.
          List<String> names = new ArrayList<>(named);
          for (int from = 0; from < names.size(); from += HEARTBEATS_PER_SCRIPT) {
            calls.add(
                new LuaScript.Call()
                    .key("lastSeen", keys.lastSeen(mesh))
                    .key("online", keys.online(mesh))
                    .key("replicas", keys.replicas(mesh))
                    .arg("now", now.toEpochMilli())
                    .arg("instance", run == null ? "" : run.instanceId())
                    .arg("replica", run == null ? "" : run.stored(now))
                    .rest(
                        "names",
                        names.subList(from, Math.min(names.size(), from + HEARTBEATS_PER_SCRIPT))));
            meshes.add(mesh);
          }
        });
    return HEARTBEAT
        .runAll(redis, calls)
        .map(
            replies -> {
              Map<String, Set<String>> lost = new LinkedHashMap<>();
              for (int i = 0; i < replies.size(); i++) {
                for (Response name : replies.get(i)) {
                  lost.computeIfAbsent(meshes.get(i), m -> new LinkedHashSet<>())
                      .add(name.toString());
                }
              }
              return lost;
            });
  }

  /** Closes a subscription whose proxy closed its stream ({@link Departure.Kind#LEFT}). */
  public Uni<Optional<Departure>> close(String mesh, String name, DiscoverySubscription closed) {
    return close(mesh, name, closed, Departure.Kind.LEFT);
  }

  /**
   * Closes a subscription: its disconnect time and final counters are those of {@code closed}. When
   * no subscription of the dataplane is left open, it leaves the online set and the proxy has
   * departed ({@code how}, since the disconnect time): the departure written is answered.
   */
  public Uni<Optional<Departure>> close(
      String mesh, String name, DiscoverySubscription closed, Departure.Kind how) {
    LuaScript.Call call =
        counted(new LuaScript.Call().key("insight", keys.insight(mesh, name)), mesh, name)
            .key("departures", keys.departures(mesh))
            .key("events", keys.events(mesh))
            .key("replicas", keys.replicas(mesh))
            .arg("id", closed.id())
            .arg("disconnectTime", closed.disconnectTime())
            .arg("status", write(closed.status()))
            .arg("name", name)
            .arg("departure", how.stored())
            .arg("nowMillis", closed.disconnectTime().toEpochMilli())
            .arg("mesh", mesh)
            .arg("maxlen", streamMaxLength)
            .arg("eventType", Departures.EVENT_TYPE);
    long since = closed.disconnectTime().toEpochMilli();
    return CLOSE
        .run(redis, call)
        .map(
            reply ->
                reply != null && reply.toInteger() == 2
                    ? Optional.of(new Departure(how, since))
                    : Optional.empty());
  }

  private LuaScript.Call counted(LuaScript.Call call, String mesh, String name) {
    return MeshStatsStore.counted(call, keys, mesh, name);
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
