package dev.quma.xds.view;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Keys;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.Page;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenNames;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.snapshot.ProxySnapshots.ChangeResult;
import dev.quma.xds.snapshot.ProxySnapshots.DataplaneState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Keeps the mesh views in step with the store: loads every mesh once, then follows the change
 * streams (the global one for meshes, one per mesh for its dataplanes) from the last id it handled.
 * After losing Redis it resumes from there; if the stream was trimmed past that id, or restarted
 * empty, it reloads the mesh. Views are changed on one thread, in stream order.
 */
public final class ViewFollower {
  private static final Logger LOG = Logger.getLogger(ViewFollower.class);
  private static final int PAGE = 1000;

  private final Redis redis;
  private final ResourceStore store;
  private final Keys keys;
  private final ProxySnapshots snapshots;
  private final ExecutorService viewThread;
  private final Clock clock;
  private final int batch;
  private final Duration resyncInterval;
  private final long coalescingNanos;
  private final BiConsumer<Long, ChangeResult> onChange;
  private final Map<String, String> positions = new ConcurrentHashMap<>();
  private final List<Consumer<String>> tokenStateListeners = new CopyOnWriteArrayList<>();
  private volatile boolean loaded;
  private volatile boolean stopped;
  private volatile long lastFullLoad;
  private RedisConnection connection;
  private volatile int eventsThisRound;

  /**
   * @param coalescing when changes keep coming (two rounds with changes within this time), the wait
   *     before the next read, so that its changes are applied together and each affected proxy gets
   *     one push for all of them; an isolated change is read at once
   * @param onChange told, per applied change, its propagation delay (ms) and what it did
   */
  public ViewFollower(
      Redis redis,
      ResourceStore store,
      ProxySnapshots snapshots,
      ExecutorService viewThread,
      Clock clock,
      int batch,
      Duration resyncInterval,
      Duration coalescing,
      BiConsumer<Long, ChangeResult> onChange) {
    this.redis = redis;
    this.store = store;
    this.keys = store.keys();
    this.snapshots = snapshots;
    this.viewThread = viewThread;
    this.clock = clock;
    this.batch = batch;
    this.resyncInterval = resyncInterval;
    this.coalescingNanos = coalescing.toNanos();
    this.onChange = onChange;
  }

  public boolean loaded() {
    return loaded;
  }

  public void start() {
    round();
  }

  public void stop() {
    stopped = true;
    if (connection != null) {
      connection.close().subscribe().with(x -> {}, e -> {});
    }
  }

  /**
   * Makes sure a mesh's view is loaded (a proxy may join a mesh created a moment ago, before its
   * event was read); false when the mesh does not exist.
   */
  public Uni<Boolean> ensureLoaded(String mesh) {
    if (snapshots.hasMesh(mesh)) {
      return Uni.createFrom().item(true);
    }
    return store
        .find(ResourceType.MESH, null, mesh)
        .flatMap(
            found ->
                found.isEmpty() ? Uni.createFrom().item(false) : loadMesh(mesh).replaceWith(true));
  }

  /** One round: (re)load when needed, then one blocking read of the streams and its changes. */
  private void round() {
    if (stopped) {
      return;
    }
    Uni<Void> prepare;
    if (!loaded || clock.millis() - lastFullLoad > resyncInterval.toMillis()) {
      prepare = loadAll();
    } else if (connection == null) {
      prepare = reconnect();
    } else {
      prepare = Uni.createFrom().voidItem();
    }
    prepare
        .flatMap(x -> readAndApply())
        .subscribe()
        .with(
            x -> next(),
            error -> {
              if (stopped) {
                return;
              }
              LOG.warnf(
                  "following the change streams failed (%s); resuming in 1 s", error.getMessage());
              closeConnection();
              Uni.createFrom()
                  .voidItem()
                  .onItem()
                  .delayIt()
                  .by(Duration.ofSeconds(1))
                  .subscribe()
                  .with(y -> round());
            });
  }

  /**
   * Reads again at once, unless changes are coming faster than they are applied one by one (this
   * round read more than one): then waits {@code coalescing}, so that the next round gathers more.
   */
  private void next() {
    int events = eventsThisRound;
    eventsThisRound = 0;
    if (events > 1 && coalescingNanos > 0) {
      Uni.createFrom()
          .voidItem()
          .onItem()
          .delayIt()
          .by(Duration.ofNanos(coalescingNanos))
          .subscribe()
          .with(x -> round());
      return;
    }
    round();
  }

  private Uni<Void> loadAll() {
    return store
        .meshNames()
        .flatMap(
            meshes -> {
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (String mesh : meshes) {
                chain = chain.flatMap(x -> loadMesh(mesh));
              }
              return chain.flatMap(x -> dropMissing(meshes));
            })
        .flatMap(x -> globalPosition())
        .invoke(
            () -> {
              lastFullLoad = clock.millis();
              if (!loaded) {
                LOG.infof("mesh views loaded: %s", snapshots.meshes());
              }
              loaded = true;
            });
  }

  private Uni<Void> dropMissing(List<String> meshes) {
    return onViewThread(
        () -> {
          for (String known : snapshots.meshes()) {
            if (!meshes.contains(known)) {
              snapshots.dropMesh(known);
              positions.remove(keys.events(known));
            }
          }
          return null;
        });
  }

  private Uni<Void> globalPosition() {
    String stream = keys.events(Keys.GLOBAL_TAG);
    if (positions.containsKey(stream)) {
      return Uni.createFrom().voidItem();
    }
    return lastId(stream).invoke(id -> positions.put(stream, id)).replaceWithVoid();
  }

  /** Loads a mesh whole; its stream is read from the id that was last before the load started. */
  private Uni<Void> loadMesh(String mesh) {
    String stream = keys.events(mesh);
    return lastId(stream)
        .flatMap(
            position ->
                listAll(mesh, 0, new LinkedHashMap<>())
                    .flatMap(
                        states ->
                            onViewThread(
                                () -> {
                                  snapshots.loadMesh(mesh, states);
                                  positions.put(stream, position);
                                  return null;
                                })));
  }

  private Uni<Map<String, DataplaneState>> listAll(
      String mesh, long offset, Map<String, DataplaneState> into) {
    return store
        .list(ResourceType.DATAPLANE, mesh, ListQuery.page(offset, PAGE))
        .flatMap(
            (Page<Resource<?>> page) -> {
              for (Resource<?> resource : page.items()) {
                into.put(
                    resource.name(),
                    new DataplaneState(resource.version(), (Dataplane) resource.spec()));
              }
              if (page.nextOffset().isEmpty()) {
                return Uni.createFrom().item(into);
              }
              return listAll(mesh, page.nextOffset().getAsLong(), into);
            });
  }

  private Uni<Void> reconnect() {
    return redis.connect().invoke(c -> connection = c).flatMap(c -> verifyPositions());
  }

  /** After a reconnect: a mesh whose stream lost what we had not read yet is reloaded. */
  private Uni<Void> verifyPositions() {
    List<Uni<Void>> checks = new ArrayList<>();
    for (String mesh : snapshots.meshes()) {
      String stream = keys.events(mesh);
      String position = positions.get(stream);
      if (position == null) {
        continue;
      }
      Uni<Void> check =
          redis
              .send(Request.cmd(Command.XINFO).arg("STREAM").arg(stream))
              .flatMap(
                  info -> {
                    String lastGenerated = field(info, "last-generated-id").toString();
                    Response first = field(info, "first-entry");
                    boolean reset = StreamIds.compare(lastGenerated, position) < 0;
                    // Events after our position happened, and the oldest one kept is newer than
                    // our position (or none is kept): some may have been trimmed unread.
                    boolean newer = StreamIds.compare(lastGenerated, position) > 0;
                    boolean oldestKeptIsNewer =
                        first == null
                            || first.size() == 0
                            || StreamIds.compare(first.get(0).toString(), position) > 0;
                    boolean trimmed = newer && oldestKeptIsNewer;
                    if (reset || trimmed) {
                      LOG.warnf(
                          "the change stream of mesh %s was %s; reloading the mesh",
                          mesh, reset ? "reset" : "trimmed past what this replica had read");
                      return loadMesh(mesh);
                    }
                    return Uni.createFrom().voidItem();
                  })
              .onFailure()
              .recoverWithUni(() -> loadMesh(mesh));
      checks.add(check);
    }
    return checks.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.join().all(checks).andFailFast().replaceWithVoid();
  }

  private Uni<Void> readAndApply() {
    List<String> streams = new ArrayList<>(positions.keySet());
    Request read =
        Request.cmd(Command.XREAD).arg("COUNT").arg(batch).arg("BLOCK").arg(1000).arg("STREAMS");
    streams.forEach(read::arg);
    streams.forEach(stream -> read.arg(positions.get(stream)));
    Uni<RedisConnection> ready =
        connection != null
            ? Uni.createFrom().item(connection)
            : redis.connect().invoke(c -> connection = c);
    return ready.flatMap(c -> c.send(read)).flatMap(this::apply);
  }

  private Uni<Void> apply(Response response) {
    if (response == null) {
      return Uni.createFrom().voidItem();
    }
    String global = keys.events(Keys.GLOBAL_TAG);
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (StreamEntries stream : streamsOf(response)) {
      String key = stream.key();
      Response entries = stream.entries();
      if (entries.size() == 0) {
        continue;
      }
      eventsThisRound += entries.size();
      String lastId = entries.get(entries.size() - 1).get(0).toString();
      if (key.equals(global)) {
        chain = chain.flatMap(x -> applyGlobal(entries)).invoke(() -> positions.put(key, lastId));
      } else {
        String mesh = meshOf(key);
        chain =
            chain.flatMap(x -> applyMesh(mesh, entries)).invoke(() -> positions.put(key, lastId));
      }
    }
    return chain;
  }

  /** One stream's part of an XREAD answer. */
  private record StreamEntries(String key, Response entries) {}

  /**
   * XREAD answers a map of stream to entries (RESP3) or a list of [stream, entries] pairs (RESP2).
   */
  private static List<StreamEntries> streamsOf(Response response) {
    List<StreamEntries> out = new ArrayList<>();
    if (response.isMap()) {
      for (String key : response.getKeys()) {
        out.add(new StreamEntries(key, response.get(key)));
      }
    } else {
      for (Response pair : response) {
        out.add(new StreamEntries(pair.get(0).toString(), pair.get(1)));
      }
    }
    return out;
  }

  /** A field of a reply that is a map in RESP3 and a flat [name, value, ...] list in RESP2. */
  private static Response field(Response reply, String name) {
    if (reply.isMap()) {
      return reply.get(name);
    }
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      if (reply.get(i).toString().equals(name)) {
        return reply.get(i + 1);
      }
    }
    return null;
  }

  private Uni<Void> applyGlobal(Response entries) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Response entry : entries) {
      Map<String, String> fields = fields(entry.get(1));
      if (!ResourceType.MESH.kumaName().equals(fields.get("type"))) {
        continue;
      }
      String mesh = fields.get("name");
      if ("delete".equals(fields.get("op"))) {
        chain =
            chain.flatMap(
                x ->
                    onViewThread(
                        () -> {
                          snapshots.dropMesh(mesh);
                          positions.remove(keys.events(mesh));
                          return null;
                        }));
      } else if (!positions.containsKey(keys.events(mesh))) {
        chain = chain.flatMap(x -> loadMesh(mesh));
      }
    }
    return chain;
  }

  /**
   * Tells {@code listener} the mesh whose dataplane-token state changed (a token revoked, a signing
   * key added or removed), so that open streams can be checked again.
   */
  public void onTokenStateChange(Consumer<String> listener) {
    tokenStateListeners.add(listener);
  }

  private Uni<Void> applyMesh(String mesh, Response entries) {
    Set<String> names = new LinkedHashSet<>();
    Map<String, Long> deleteVersions = new HashMap<>();
    long oldestEvent = Long.MAX_VALUE;
    boolean tokenStateChanged = false;
    for (Response entry : entries) {
      Map<String, String> fields = fields(entry.get(1));
      if (ResourceType.SECRET.kumaName().equals(fields.get("type"))) {
        tokenStateChanged |= DataplaneTokenNames.isTokenState(mesh, fields.get("name"));
        continue;
      }
      if (!ResourceType.DATAPLANE.kumaName().equals(fields.get("type"))) {
        continue;
      }
      names.add(fields.get("name"));
      if ("delete".equals(fields.get("op"))) {
        deleteVersions.put(fields.get("name"), Long.parseLong(fields.getOrDefault("version", "0")));
      }
      oldestEvent = Math.min(oldestEvent, StreamIds.millis(entry.get(0).toString()));
    }
    if (tokenStateChanged) {
      tokenStateListeners.forEach(listener -> listener.accept(mesh));
    }
    if (names.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    long eventMillis = oldestEvent;
    return store
        .getAll(ResourceType.DATAPLANE, mesh, List.copyOf(names))
        .flatMap(
            list -> {
              Map<String, Resource<?>> found = new HashMap<>();
              list.forEach(resource -> found.put(resource.name(), resource));
              Map<String, DataplaneState> changes = new LinkedHashMap<>();
              for (String name : names) {
                Resource<?> resource = found.get(name);
                changes.put(
                    name,
                    resource == null
                        ? new DataplaneState(
                            deleteVersions.getOrDefault(name, Long.MAX_VALUE - 1), null)
                        : new DataplaneState(resource.version(), (Dataplane) resource.spec()));
              }
              return onViewThread(() -> snapshots.apply(mesh, changes));
            })
        .invoke(result -> onChange.accept(clock.millis() - eventMillis, result))
        .replaceWithVoid();
  }

  private <T> Uni<T> onViewThread(java.util.function.Supplier<T> work) {
    return Uni.createFrom()
        .completionStage(java.util.concurrent.CompletableFuture.supplyAsync(work, viewThread));
  }

  private Uni<String> lastId(String stream) {
    return redis
        .send(Request.cmd(Command.XREVRANGE).arg(stream).arg("+").arg("-").arg("COUNT").arg(1))
        .map(r -> r == null || r.size() == 0 ? "0-0" : r.get(0).get(0).toString());
  }

  private void closeConnection() {
    if (connection != null) {
      RedisConnection old = connection;
      connection = null;
      old.close().subscribe().with(x -> {}, e -> {});
    }
  }

  private String meshOf(String streamKey) {
    int open = streamKey.indexOf('{');
    int close = streamKey.indexOf('}', open);
    return streamKey.substring(open + 1, close);
  }

  private static Map<String, String> fields(Response values) {
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i + 1 < values.size(); i += 2) {
      fields.put(values.get(i).toString(), values.get(i + 1).toString());
    }
    return fields;
  }
}
