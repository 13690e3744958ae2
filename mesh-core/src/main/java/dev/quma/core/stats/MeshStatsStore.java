package dev.quma.core.stats;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Keys;
import dev.quma.core.store.LuaScript;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.SlotBatches;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The dataplane counters of each mesh. Every script that changes what they count (a dataplane
 * written or deleted, a subscription opened or closed, an Offline mark) keeps them current in the
 * same atomic step, with the library {@link #LUA_LIBRARY} put in front of it; reading them costs
 * one round trip whatever the number of dataplanes. {@link #reconcile} walks a mesh to correct any
 * drift (data written before the counters existed, a change of the rules, a hand edit).
 */
public final class MeshStatsStore {
  /** The counters' Lua library, a resource path for {@link LuaScript#load(Class, String...)}. */
  public static final String LUA_LIBRARY = "/dev/quma/core/stats/stats-lib.lua";

  private static final LuaScript REBUILD_STEP =
      LuaScript.load(MeshStatsStore.class, LUA_LIBRARY, "rebuild-step.lua");
  private static final LuaScript REBUILD_COMMIT =
      LuaScript.load(MeshStatsStore.class, LUA_LIBRARY, "rebuild-commit.lua");
  private static final Duration REBUILD_KEYS_EXPIRE = Duration.ofMinutes(10);

  private final Redis redis;
  private final ResourceStore store;
  private final Keys keys;

  public MeshStatsStore(Redis redis, ResourceStore store) {
    this.redis = redis;
    this.store = store;
    this.keys = store.keys();
  }

  /**
   * Adds the keys the counters library takes for one dataplane ({@code qs_restat(K, ...)}): its
   * record, the mesh's online set, its probe results and its counters.
   */
  public static LuaScript.Call counted(LuaScript.Call call, Keys keys, String mesh, String name) {
    return countedBesidesRecord(
        call.key("record", keys.record(ResourceType.DATAPLANE, mesh, name)), keys, mesh);
  }

  /** The keys of {@link #counted} but the record, for a script that names the record itself. */
  public static LuaScript.Call countedBesidesRecord(LuaScript.Call call, Keys keys, String mesh) {
    return call.key("online", keys.online(mesh))
        .key("probes", keys.probes(mesh))
        .key("stats", keys.stats(mesh))
        .key("services", keys.statsServices(mesh))
        .key("names", keys.statsNames(mesh));
  }

  /** The counters of one mesh (zeros for a mesh without dataplanes). */
  public Uni<MeshStats> read(String mesh) {
    return readAll(List.of(mesh)).map(all -> all.get(mesh));
  }

  /** The counters of several meshes, in one round trip, keyed (and ordered) as {@code meshes}. */
  public Uni<Map<String, MeshStats>> readAll(List<String> meshes) {
    if (meshes.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    List<Request> reads = new ArrayList<>(meshes.size() * 2);
    for (String mesh : meshes) {
      reads.add(Request.cmd(Command.HGETALL).arg(keys.stats(mesh)));
      reads.add(Request.cmd(Command.HLEN).arg(keys.statsNames(mesh)));
    }
    return SlotBatches.batch(redis, reads)
        .map(
            replies -> {
              Map<String, MeshStats> out = new LinkedHashMap<>();
              for (int i = 0; i < meshes.size(); i++) {
                Map<String, String> fields = hash(replies.get(2 * i));
                out.put(meshes.get(i), MeshStats.parse(fields, replies.get(2 * i + 1).toLong()));
              }
              return out;
            });
  }

  /**
   * The services of one mesh with their dataplanes' counts, sorted by name (one round trip; the
   * hash has one pair of fields per service, however many dataplanes carry it).
   */
  public Uni<List<ServiceCounts>> readServices(String mesh) {
    return redis
        .send(Request.cmd(Command.HGETALL).arg(keys.statsServices(mesh)))
        .map(reply -> ServiceCounts.parse(hash(reply)));
  }

  /**
   * Claims the reconcile of {@code mesh} for {@code interval} (true when this caller got it), so
   * that of several replicas on the same timer one reconciles each mesh per interval.
   */
  public Uni<Boolean> claimReconcile(String mesh, String owner, Duration interval) {
    return redis
        .send(
            Request.cmd(Command.SET)
                .arg(keys.statsReconcileClaim(mesh))
                .arg(owner)
                .arg("NX")
                .arg("PX")
                .arg(Math.max(1, interval.toMillis())))
        .map(reply -> reply != null);
  }

  /**
   * Recomputes every dataplane's contribution from its stored spec and the online set, correcting
   * any that drifted, while rebuilding the counters beside the live ones; then, if nothing else
   * changed them meanwhile, replaces the live counters where they differ. Costs one read and one
   * script run per dataplane, in pipelines of {@code batchSize}; changes made meanwhile keep their
   * effect (a busy mesh is just left to the next reconcile).
   */
  public Uni<ReconcileReport> reconcile(String mesh, int batchSize) {
    return reconcile(mesh, batchSize, () -> Uni.createFrom().voidItem());
  }

  /** As {@link #reconcile(String, int)}, running {@code betweenBatches} after each batch. */
  Uni<ReconcileReport> reconcile(String mesh, int batchSize, Supplier<Uni<Void>> betweenBatches) {
    long started = System.nanoTime();
    String run = UUID.randomUUID().toString();
    List<String> live = List.of(keys.stats(mesh), keys.statsServices(mesh), keys.statsNames(mesh));
    List<String> rebuilt =
        List.of(
            keys.statsRebuild(mesh, run, "stats"),
            keys.statsRebuild(mesh, run, "services"),
            keys.statsRebuild(mesh, run, "names"));
    return redis
        .send(Request.cmd(Command.HGET).arg(keys.stats(mesh)).arg("epoch"))
        .map(reply -> reply == null ? 0L : reply.toLong())
        .flatMap(
            epoch ->
                walk(mesh, live, rebuilt, batchSize, 0, new long[2], betweenBatches)
                    .flatMap(
                        tally -> {
                          return REBUILD_COMMIT
                              .run(
                                  redis,
                                  rebuilding(
                                          new LuaScript.Call()
                                              .key("stats", live.get(0))
                                              .key("services", live.get(1))
                                              .key("names", live.get(2)),
                                          rebuilt)
                                      .arg("epoch", epoch + tally[1]))
                              .map(
                                  reply -> {
                                    var outcome =
                                        ReconcileReport.Outcome.valueOf(
                                            reply.get(0).toString().toUpperCase(Locale.ROOT));
                                    return new ReconcileReport(
                                        mesh,
                                        tally[0],
                                        tally[1],
                                        outcome,
                                        outcome == ReconcileReport.Outcome.REPLACED
                                            ? reply.get(1).toLong()
                                            : 0,
                                        Duration.ofNanos(System.nanoTime() - started));
                                  });
                        }));
  }

  /** One batch of the walk, then the next; {@code tally}: dataplanes walked, corrected. */
  private Uni<long[]> walk(
      String mesh,
      List<String> live,
      List<String> rebuilt,
      int batchSize,
      long offset,
      long[] tally,
      Supplier<Uni<Void>> betweenBatches) {
    String index = keys.index(ResourceType.DATAPLANE, mesh);
    return redis
        .send(Request.cmd(Command.ZRANGE).arg(index).arg(offset).arg(offset + batchSize - 1))
        .map(MeshStatsStore::strings)
        .flatMap(
            names -> {
              if (names.isEmpty()) {
                return Uni.createFrom().item(tally);
              }
              return store
                  .getAll(ResourceType.DATAPLANE, mesh, names)
                  .flatMap(resources -> rebuildBatch(mesh, live, rebuilt, resources))
                  .call(() -> betweenBatches.get())
                  .flatMap(
                      corrected -> {
                        tally[0] += names.size();
                        tally[1] += corrected;
                        if (names.size() < batchSize) {
                          return Uni.createFrom().item(tally);
                        }
                        return walk(
                            mesh,
                            live,
                            rebuilt,
                            batchSize,
                            offset + batchSize,
                            tally,
                            betweenBatches);
                      });
            });
  }

  private Uni<Long> rebuildBatch(
      String mesh, List<String> live, List<String> rebuilt, List<Resource<?>> resources) {
    if (resources.isEmpty()) {
      return Uni.createFrom().item(0L);
    }
    List<LuaScript.Call> calls = new ArrayList<>(resources.size());
    for (Resource<?> resource : resources) {
      calls.add(
          rebuilding(counted(new LuaScript.Call(), keys, mesh, resource.name()), rebuilt)
              .arg("name", resource.name())
              .arg("version", resource.version())
              .arg("specClass", DataplaneClass.ofSpec((Dataplane) resource.spec())));
    }
    return REBUILD_STEP
        .runAll(redis, calls)
        .flatMap(
            replies -> {
              long corrected = replies.stream().mapToLong(Response::toLong).sum();
              List<Request> expire = new ArrayList<>();
              for (String key : rebuilt) {
                expire.add(
                    Request.cmd(Command.PEXPIRE).arg(key).arg(REBUILD_KEYS_EXPIRE.toMillis()));
              }
              return SlotBatches.batch(redis, expire).replaceWith(corrected);
            });
  }

  /** The keys of the counters a reconcile rebuilds beside the live ones. */
  private static LuaScript.Call rebuilding(LuaScript.Call call, List<String> rebuilt) {
    return call.key("rebuiltStats", rebuilt.get(0))
        .key("rebuiltServices", rebuilt.get(1))
        .key("rebuiltNames", rebuilt.get(2));
  }

  private static Map<String, String> hash(Response reply) {
    Map<String, String> out = new HashMap<>();
    if (reply == null) {
      return out;
    }
    if (reply.getDelegate().isMap()) { // RESP3 answers HGETALL with a map, RESP2 with a list
      for (String key : reply.getKeys()) {
        out.put(key, reply.get(key).toString());
      }
      return out;
    }
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      out.put(reply.get(i).toString(), reply.get(i + 1).toString());
    }
    return out;
  }

  private static List<String> strings(Response reply) {
    List<String> out = new ArrayList<>(reply == null ? 0 : reply.size());
    if (reply != null) {
      reply.forEach(item -> out.add(item.toString()));
    }
    return out;
  }
}
