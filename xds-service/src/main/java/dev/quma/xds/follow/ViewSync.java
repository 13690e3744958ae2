package dev.quma.xds.follow;

import dev.quma.core.events.ChangeEvent;
import dev.quma.core.events.ChangeFollower;
import dev.quma.core.insight.Departure;
import dev.quma.core.insight.Departures;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.insight.ProbeResults;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Keys;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.Page;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenNames;
import dev.quma.xds.snapshot.ProxyKey;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.snapshot.ProxySnapshots.ChangeResult;
import dev.quma.xds.snapshot.ProxySnapshots.DataplaneState;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the mesh views in step with the store, as subscriber of the change follower: the global
 * stream tells which meshes exist (each one's stream is followed from then on), a mesh's stream
 * which of its dataplanes changed (read again and applied to the view) and when its dataplane-token
 * state changed (a token revoked, a signing key added or removed), for which open streams are
 * checked again. Views are changed on one thread, in stream order.
 */
public final class ViewSync {
  private static final Logger LOG = Logger.getLogger(ViewSync.class);
  private static final int PAGE = 1000;

  private final ChangeFollower follower;
  private final ResourceStore store;
  private final ResourceQueries queries;
  private final Departures departures;
  private final ProbeResults probes;
  private final ProxySnapshots snapshots;
  private final ExecutorService viewThread;
  private final Clock clock;
  private final BiConsumer<Long, ChangeResult> onChange;
  private final List<Consumer<String>> tokenStateListeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<String, String>> deletionListeners = new CopyOnWriteArrayList<>();
  private final OwnWrites ownWrites = new OwnWrites();
  private volatile boolean loaded;

  /**
   * @param onChange told, per applied change, its propagation delay (ms) and what it did
   */
  public ViewSync(
      ChangeFollower follower,
      ResourceStore store,
      ResourceQueries queries,
      Departures departures,
      ProbeResults probes,
      ProxySnapshots snapshots,
      ExecutorService viewThread,
      Clock clock,
      BiConsumer<Long, ChangeResult> onChange) {
    this.follower = follower;
    this.store = store;
    this.queries = queries;
    this.departures = departures;
    this.probes = probes;
    this.snapshots = snapshots;
    this.viewThread = viewThread;
    this.clock = clock;
    this.onChange = onChange;
  }

  /** True once every mesh was loaded the first time. */
  public boolean loaded() {
    return loaded;
  }

  public void start() {
    follower
        .follow(Keys.GLOBAL_TAG, new MeshList())
        .subscribe()
        .with(
            x -> {},
            e -> LOG.warnf("could not load the mesh views yet (%s); retrying", e.getMessage()));
    follower.start();
  }

  public void stop() {
    follower.stop();
  }

  /** Loads every view anew (the store lost its data: what the views hold is gone or renumbered). */
  public void resyncAll() {
    follower.resyncAll();
  }

  /**
   * Dataplanes whose address is one of these domain names are applied again (on the view thread).
   */
  public Uni<Integer> reresolve(Set<String> names) {
    return onViewThread(() -> snapshots.reresolve(names));
  }

  /** Pushes what consumers' paced endpoint changes gathered long enough (on the view thread). */
  public Uni<Integer> flushHeld() {
    return onViewThread(snapshots::flushHeld);
  }

  /**
   * A proxy answered its first endpoints: what waited for it is pushed (on the view thread, so that
   * the gRPC thread that read the answer does not wait for a change being applied).
   */
  public void answered(ProxyKey key) {
    try {
      viewThread.execute(() -> snapshots.answered(key));
    } catch (RejectedExecutionException stopping) {
      // the replica is stopping: its streams go with it
    }
  }

  /** Lost proxies whose grace period is over lose their endpoints (on the view thread). */
  public Uni<Integer> expireDepartures() {
    return onViewThread(snapshots::expireDepartures);
  }

  /**
   * Applies a departure this replica wrote itself (the proxy's last stream closed here) without
   * waiting for the change stream to bring it back: this replica's consumers follow a Redis round
   * trip and a follower round sooner. Its event is still read and applied like any other (the same
   * again: nothing is pushed), and other replicas follow it. Should a read of an older event land
   * after this, the view is wrong only until this write's own event is read, which comes next.
   */
  public void departedHere(String mesh, String name, Departure departure) {
    ownWrites.add(mesh, name, departure, null);
  }

  /** Applies probe results this replica stored itself, as {@link #departedHere} does. */
  public void probedHere(String mesh, String name, ProbeHealth health) {
    ownWrites.add(mesh, name, null, health);
  }

  /**
   * This replica's own writes waiting for the view thread. What comes while the thread is busy is
   * applied together, as the follower applies a batch of events: a fleet reporting at once costs
   * each consumer one push per batch, not one per report.
   */
  private final class OwnWrites {
    private Map<String, Map<String, Departure>> departures = new HashMap<>();
    private Map<String, Map<String, ProbeHealth>> probes = new HashMap<>();
    private boolean scheduled;
    private long oldest;

    synchronized void add(String mesh, String name, Departure departure, ProbeHealth health) {
      if (departure != null) {
        departures.computeIfAbsent(mesh, m -> new HashMap<>()).put(name, departure);
      } else {
        probes.computeIfAbsent(mesh, m -> new HashMap<>()).put(name, health);
      }
      if (scheduled) {
        return;
      }
      scheduled = true;
      oldest = clock.millis();
      try {
        viewThread.execute(this::apply);
      } catch (RejectedExecutionException stopping) {
        scheduled = false; // the replica is stopping: its view goes with it
      }
    }

    private void apply() {
      Map<String, Map<String, Departure>> departed;
      Map<String, Map<String, ProbeHealth>> probed;
      long since;
      synchronized (this) {
        departed = departures;
        probed = probes;
        since = oldest;
        departures = new HashMap<>();
        probes = new HashMap<>();
        scheduled = false;
      }
      departed.forEach(
          (mesh, byName) ->
              onChange.accept(clock.millis() - since, snapshots.depart(mesh, byName)));
      probed.forEach(
          (mesh, byName) -> onChange.accept(clock.millis() - since, snapshots.probe(mesh, byName)));
    }
  }

  /**
   * Tells {@code listener} the mesh whose dataplane-token state may have changed (a token revoked,
   * a signing key added or removed, or the mesh loaded anew), so that open streams can be checked
   * again.
   */
  public void onTokenStateChange(Consumer<String> listener) {
    tokenStateListeners.add(listener);
  }

  /**
   * Tells {@code listener} the mesh and name of a dataplane that was deleted (its delete event
   * read, and the store no longer has it), so that the streams still serving it can be ended.
   */
  public void onDataplaneDeleted(BiConsumer<String, String> listener) {
    deletionListeners.add(listener);
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
                found.isEmpty()
                    ? Uni.createFrom().item(false)
                    : follower.follow(mesh, new MeshStream(mesh)).replaceWith(true));
  }

  /**
   * Reads the mesh resource's spec into its view (its {@code metrics} decides the proxies' metrics
   * listener); a mesh already gone changes nothing here, its delete event drops the view.
   */
  private Uni<Void> readMeshSpec(String mesh) {
    return store
        .find(ResourceType.MESH, null, mesh)
        .flatMap(
            found ->
                found.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : ViewSync.this
                        .onViewThread(() -> snapshots.meshSpec(mesh, (Mesh) found.get().spec()))
                        .replaceWithVoid());
  }

  /** The global stream: which meshes there are. */
  private final class MeshList implements ChangeFollower.Subscriber {
    @Override
    public Uni<Void> resync() {
      return queries
          .meshNames()
          .flatMap(
              meshes -> {
                Uni<Void> chain = dropMissing(meshes);
                for (String mesh : meshes) {
                  chain = chain.flatMap(x -> follower.follow(mesh, new MeshStream(mesh)));
                }
                return chain;
              })
          .invoke(
              () -> {
                if (!loaded) {
                  LOG.infof("mesh views loaded: %s", snapshots.meshes());
                }
                loaded = true;
              });
    }

    @Override
    public Uni<Void> apply(List<ChangeEvent> events) {
      Uni<Void> chain = Uni.createFrom().voidItem();
      for (ChangeEvent event : events) {
        if (!ResourceType.MESH.kumaName().equals(event.type())) {
          continue;
        }
        String mesh = event.name();
        if (event.op() == ChangeEvent.Op.DELETE) {
          chain = chain.flatMap(x -> drop(mesh));
        } else if (!follower.follows(mesh)) {
          chain = chain.flatMap(x -> follower.follow(mesh, new MeshStream(mesh)));
        } else {
          chain = chain.flatMap(x -> readMeshSpec(mesh));
        }
      }
      return chain;
    }

    private Uni<Void> dropMissing(List<String> meshes) {
      Uni<Void> chain = Uni.createFrom().voidItem();
      for (String known : snapshots.meshes()) {
        if (!meshes.contains(known)) {
          chain = chain.flatMap(x -> drop(known));
        }
      }
      return chain;
    }

    private Uni<Void> drop(String mesh) {
      follower.unfollow(mesh);
      return ViewSync.this.<Void>onViewThread(
          () -> {
            snapshots.dropMesh(mesh);
            return null;
          });
    }
  }

  /** One mesh's stream: its dataplanes, and its dataplane-token state. */
  private final class MeshStream implements ChangeFollower.Subscriber {
    private final String mesh;
    private volatile boolean loadedOnce;

    MeshStream(String mesh) {
      this.mesh = mesh;
    }

    /**
     * Loads the mesh whole (its dataplanes, departed proxies and probe results); a reload may have
     * missed token-state changes, so it tells of one.
     */
    @Override
    public Uni<Void> resync() {
      return Uni.combine()
          .all()
          .unis(listAll(0, new LinkedHashMap<>()), departures.all(mesh), probes.all(mesh))
          .asTuple()
          .flatMap(
              loaded ->
                  ViewSync.this.<Void>onViewThread(
                      () -> {
                        snapshots.loadMesh(
                            mesh, loaded.getItem1(), loaded.getItem2(), loaded.getItem3());
                        return null;
                      }))
          .flatMap(x -> readMeshSpec(mesh))
          .invoke(
              () -> {
                if (loadedOnce) {
                  tokenStateListeners.forEach(listener -> listener.accept(mesh));
                }
                loadedOnce = true;
              });
    }

    private Uni<Map<String, DataplaneState>> listAll(
        long offset, Map<String, DataplaneState> into) {
      return queries
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
                return listAll(page.nextOffset().getAsLong(), into);
              });
    }

    @Override
    public Uni<Void> apply(List<ChangeEvent> events) {
      Set<String> names = new LinkedHashSet<>();
      Set<String> departed = new LinkedHashSet<>();
      Set<String> probed = new LinkedHashSet<>();
      Map<String, Long> deleteVersions = new HashMap<>();
      long oldestEvent = Long.MAX_VALUE;
      boolean tokenStateChanged = false;
      boolean meshChanged = false;
      for (ChangeEvent event : events) {
        if (ResourceType.MESH.kumaName().equals(event.type())) {
          meshChanged |= event.op() != ChangeEvent.Op.DELETE;
          continue;
        }
        if (ResourceType.SECRET.kumaName().equals(event.type())) {
          tokenStateChanged |= DataplaneTokenNames.isTokenState(mesh, event.name());
          continue;
        }
        if (Departures.EVENT_TYPE.equals(event.type())) {
          departed.add(event.name());
          oldestEvent = Math.min(oldestEvent, event.millis());
          continue;
        }
        if (ProbeResults.EVENT_TYPE.equals(event.type())) {
          probed.add(event.name());
          oldestEvent = Math.min(oldestEvent, event.millis());
          continue;
        }
        if (!ResourceType.DATAPLANE.kumaName().equals(event.type())) {
          continue;
        }
        names.add(event.name());
        if (event.op() == ChangeEvent.Op.DELETE) {
          deleteVersions.put(event.name(), event.version());
        }
        oldestEvent = Math.min(oldestEvent, event.millis());
      }
      if (tokenStateChanged) {
        tokenStateListeners.forEach(listener -> listener.accept(mesh));
      }
      long eventMillis = oldestEvent;
      Uni<Void> departing =
          departed.isEmpty() ? Uni.createFrom().voidItem() : depart(departed, eventMillis);
      Uni<Void> probing =
          probed.isEmpty() ? departing : departing.flatMap(x -> probe(probed, eventMillis));
      // The mesh resource itself changed (its events are on its own stream): its settings reach
      // every proxy of it.
      Uni<Void> after = meshChanged ? probing.flatMap(x -> readMeshSpec(mesh)) : probing;
      if (names.isEmpty()) {
        return after;
      }
      // Dataplanes first: a departure or probe of a dataplane created in the same batch finds it.
      return dataplanes(names, deleteVersions, eventMillis).flatMap(x -> after);
    }

    /** Reads the probe results that changed, and applies them to the view. */
    private Uni<Void> probe(Set<String> probed, long eventMillis) {
      return probes
          .of(mesh, List.copyOf(probed))
          .flatMap(found -> onViewThread(() -> snapshots.probe(mesh, found)))
          .invoke(result -> onChange.accept(clock.millis() - eventMillis, result))
          .replaceWithVoid();
    }

    /** Reads the departures of proxies that left or came back, and applies them to the view. */
    private Uni<Void> depart(Set<String> departed, long eventMillis) {
      return departures
          .of(mesh, List.copyOf(departed))
          .flatMap(found -> onViewThread(() -> snapshots.depart(mesh, found)))
          .invoke(result -> onChange.accept(clock.millis() - eventMillis, result))
          .replaceWithVoid();
    }

    private Uni<Void> dataplanes(
        Set<String> names, Map<String, Long> deleteVersions, long eventMillis) {
      return store
          .getAll(ResourceType.DATAPLANE, mesh, List.copyOf(names))
          .flatMap(
              list -> {
                Map<String, Resource<?>> found = new HashMap<>();
                list.forEach(resource -> found.put(resource.name(), resource));
                Map<String, DataplaneState> changes = new LinkedHashMap<>();
                for (String name : names) {
                  Resource<?> resource = found.get(name);
                  if (resource == null && deleteVersions.containsKey(name)) {
                    deletionListeners.forEach(listener -> listener.accept(mesh, name));
                  }
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
  }

  private <T> Uni<T> onViewThread(Supplier<T> work) {
    return Uni.createFrom().completionStage(CompletableFuture.supplyAsync(work, viewThread));
  }
}
