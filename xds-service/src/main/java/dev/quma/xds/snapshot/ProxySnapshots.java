package dev.quma.xds.snapshot;

import dev.quma.core.insight.Departure;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.xds.generate.ProxyConfigGenerator;
import dev.quma.xds.generate.ProxyResources;
import dev.quma.xds.generate.ResourceMemo;
import dev.quma.xds.generate.TargetResources;
import dev.quma.xds.mesh.EndpointAddresses;
import dev.quma.xds.mesh.EndpointHealth;
import dev.quma.xds.mesh.MeshView;
import dev.quma.xds.mesh.OutboundTarget;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The snapshots of the proxies connected to this replica, and the mesh views they are computed
 * from. A change of the mesh recomputes only the proxies that consume a service whose endpoints or
 * protocol changed (found through a per-mesh index from service to consumers), and of those only
 * the resources of that service. Every resource comes from the one {@link ProxyConfigGenerator},
 * whose memo hands the same object to every proxy that needs it. Methods are synchronized: changes
 * are applied one at a time.
 */
public final class ProxySnapshots {
  private final SimpleCache<String> cache;
  private final ResourceMemo memo = new ResourceMemo();
  private final ProxyConfigGenerator generator = new ProxyConfigGenerator(memo);
  private final Map<String, MeshView> views = new HashMap<>();
  private final Map<String, Mesh> meshSpecs = new HashMap<>();
  private long generation;
  private final Map<ProxyKey, ConnectedProxy> proxies = new HashMap<>();
  private final Map<String, Map<String, Set<ProxyKey>>> consumers = new HashMap<>();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final LongConsumer snapshotsSet;
  private final EndpointAddresses addresses;
  private final EndpointHealth health;
  private final Clock clock;
  private static final long UNANSWERED_BOUND_MILLIS = 30_000;
  private final PushPacing pacing;
  private final ArrivalRate arrivals = new ArrivalRate();
  // Consumers with endpoint changes gathered for a later push (see PushPacing).
  private final Set<ProxyKey> holding = new HashSet<>();

  /** A versioned spec of a dataplane; a null spec means the dataplane was deleted. */
  public record DataplaneState(long version, Dataplane spec) {}

  /**
   * What {@link #apply} did: how many snapshots it set, and the CPU time it took (ns, this thread).
   */
  public record ChangeResult(int snapshotsUpdated, long cpuNanos) {}

  private static final class ConnectedProxy {
    final ProxyKey key;
    Dataplane spec;
    ProxyResources resources = new ProxyResources(List.of(), List.of(), List.of());

    /** The targets it is indexed under as a consumer. */
    List<OutboundTarget> targets = List.of();

    /** Whether its stream answered (ACK or NACK) a first set of endpoints. */
    boolean answered;

    /** Services whose changes wait for a later push, and since when (ms). */
    Set<String> held = new HashSet<>();

    long heldSince;

    ConnectedProxy(ProxyKey key, Dataplane spec) {
      this.key = key;
      this.spec = spec;
    }
  }

  /**
   * @param snapshotsSet told how many snapshots each change set, for metrics
   */
  public ProxySnapshots(LongConsumer snapshotsSet) {
    this(new SimpleCache<>(Node::getId), snapshotsSet);
  }

  /**
   * @param cache where the snapshots are set, to be served by the discovery server
   * @param snapshotsSet told how many snapshots each change set, for metrics
   */
  public ProxySnapshots(SimpleCache<String> cache, LongConsumer snapshotsSet) {
    this(cache, snapshotsSet, EndpointHealth.DEFAULTS, Clock.systemUTC());
  }

  /**
   * @param health how proxies' connections decide their endpoints
   * @param clock what grace periods are measured with
   */
  public ProxySnapshots(
      SimpleCache<String> cache, LongConsumer snapshotsSet, EndpointHealth health, Clock clock) {
    this(cache, snapshotsSet, health, EndpointAddresses.AS_WRITTEN, clock);
  }

  /**
   * @param addresses the IPs of dataplane addresses that are domain names
   */
  public ProxySnapshots(
      SimpleCache<String> cache,
      LongConsumer snapshotsSet,
      EndpointHealth health,
      EndpointAddresses addresses,
      Clock clock) {
    this(cache, snapshotsSet, health, addresses, clock, PushPacing.OFF);
  }

  /**
   * @param pacing how consumers' endpoint pushes gather while proxies arrive in a storm
   */
  public ProxySnapshots(
      SimpleCache<String> cache,
      LongConsumer snapshotsSet,
      EndpointHealth health,
      EndpointAddresses addresses,
      Clock clock,
      PushPacing pacing) {
    this.pacing = pacing;
    this.cache = cache;
    this.snapshotsSet = snapshotsSet;
    this.health = health;
    this.addresses = addresses;
    this.clock = clock;
  }

  public SimpleCache<String> cache() {
    return cache;
  }

  // ---- the mesh -------------------------------------------------------------------------------

  /** Replaces a mesh's view with a fresh full load, and recomputes its connected proxies. */
  public synchronized void loadMesh(String mesh, Map<String, DataplaneState> dataplanes) {
    loadMesh(mesh, dataplanes, Map.of());
  }

  /**
   * Replaces a mesh's view with a fresh full load (its dataplanes and its departed proxies), and
   * recomputes its connected proxies.
   */
  public synchronized void loadMesh(
      String mesh, Map<String, DataplaneState> dataplanes, Map<String, Departure> departures) {
    loadMesh(mesh, dataplanes, departures, Map.of());
  }

  /**
   * Replaces a mesh's view with a fresh full load (its dataplanes, its departed proxies and its
   * probe results), and recomputes its connected proxies.
   */
  public synchronized void loadMesh(
      String mesh,
      Map<String, DataplaneState> dataplanes,
      Map<String, Departure> departures,
      Map<String, ProbeHealth> probes) {
    MeshView view = new MeshView(mesh, health, addresses);
    view.meshSpec(meshSpecs.get(mesh));
    generation++;
    long now = clock.millis();
    departures.forEach((name, departure) -> view.depart(name, departure, now));
    probes.forEach(view::probe);
    dataplanes.forEach((name, state) -> view.apply(name, state.version(), state.spec()));
    views.put(mesh, view);
    for (ConnectedProxy proxy : proxies.values()) {
      if (proxy.key.mesh().equals(mesh)) {
        rebuild(proxy, view);
      }
    }
  }

  public synchronized void dropMesh(String mesh) {
    views.remove(mesh);
    meshSpecs.remove(mesh);
    generation++;
  }

  /**
   * The mesh resource's spec, read anew: when it changed, the mesh's connected proxies are rebuilt
   * (its {@code metrics} decides their metrics listener). Returns the snapshots set.
   */
  public synchronized int meshSpec(String mesh, Mesh spec) {
    Mesh fresh = spec == null ? Mesh.EMPTY : spec;
    if (fresh.equals(meshSpecs.put(mesh, fresh))) {
      return 0;
    }
    generation++;
    MeshView view = views.get(mesh);
    if (view == null) {
      return 0;
    }
    view.meshSpec(fresh);
    int updated = 0;
    for (ConnectedProxy proxy : proxies.values()) {
      if (proxy.key.mesh().equals(mesh)) {
        rebuild(proxy, view);
        updated++;
      }
    }
    snapshotsSet.accept(updated);
    return updated;
  }

  /**
   * A number that changes whenever a mesh view does (loaded, dropped, a dataplane or the mesh's
   * spec changed): readers of {@link #dataplanes} recompute only when it moved.
   */
  public synchronized long generation() {
    return generation;
  }

  /** A dataplane of a view, with its mesh's spec. */
  public record ViewedDataplane(String mesh, String name, Dataplane spec, Mesh meshSpec) {}

  /** Every dataplane of every mesh view, with its mesh's spec; read under the views' lock. */
  public synchronized List<ViewedDataplane> dataplanes() {
    List<ViewedDataplane> all = new java.util.ArrayList<>();
    for (MeshView view : views.values()) {
      for (String name : view.dataplaneNames()) {
        Dataplane spec = view.dataplane(name);
        if (spec != null) {
          all.add(new ViewedDataplane(view.mesh(), name, spec, view.meshSpec()));
        }
      }
    }
    return all;
  }

  public synchronized boolean hasMesh(String mesh) {
    return views.containsKey(mesh);
  }

  public synchronized Set<String> meshes() {
    return Set.copyOf(views.keySet());
  }

  /** The version of a dataplane in the view, or -1. */
  public synchronized long viewVersion(String mesh, String name) {
    MeshView view = views.get(mesh);
    return view == null ? -1 : view.version(name);
  }

  /**
   * Applies changed dataplanes of a mesh: the affected services' consumers get the resources of
   * those services recomputed (through the memo: an unchanged listener or cluster is the same
   * object again); a connected proxy whose own dataplane changed is rebuilt whole.
   */
  public synchronized ChangeResult apply(String mesh, Map<String, DataplaneState> changes) {
    long cpuStart = threads.getCurrentThreadCpuTime();
    MeshView view = views.get(mesh);
    if (view == null) {
      return new ChangeResult(0, 0);
    }
    generation++;
    Set<String> services = new HashSet<>();
    Set<String> arrived = new HashSet<>(); // services that gained a new dataplane
    int arrivalCount = 0;
    Set<ProxyKey> rebuildWhole = new HashSet<>();
    for (Map.Entry<String, DataplaneState> change : changes.entrySet()) {
      String name = change.getKey();
      DataplaneState state = change.getValue();
      boolean arrival = state.spec() != null && view.version(name) < 0;
      Set<String> changed = view.apply(name, state.version(), state.spec());
      if (arrival) {
        arrivalCount++;
        arrived.addAll(changed);
      } else {
        services.addAll(changed);
      }
      ConnectedProxy proxy = proxies.get(new ProxyKey(mesh, name));
      if (proxy != null && state.spec() != null && !state.spec().equals(proxy.spec)) {
        proxy.spec = state.spec();
        rebuildWhole.add(proxy.key);
      }
    }
    arrivals.record(arrivalCount, clock.millis());
    int updated = 0;
    for (ProxyKey key : rebuildWhole) {
      rebuild(proxies.get(key), view);
      updated++;
    }
    updated += updateConsumers(mesh, view, services, arrived, rebuildWhole);
    snapshotsSet.accept(updated);
    return new ChangeResult(updated, threads.getCurrentThreadCpuTime() - cpuStart);
  }

  /**
   * Applies proxies that departed or came back ({@code null}): the consumers of their services are
   * recomputed.
   */
  public synchronized ChangeResult depart(String mesh, Map<String, Departure> departures) {
    long cpuStart = threads.getCurrentThreadCpuTime();
    MeshView view = views.get(mesh);
    if (view == null) {
      return new ChangeResult(0, 0);
    }
    long now = clock.millis();
    Set<String> services = new HashSet<>();
    Set<String> arrived = new HashSet<>(); // services of proxies that came back
    int arrivalCount = 0;
    for (Map.Entry<String, Departure> entry : departures.entrySet()) {
      Set<String> changed = view.depart(entry.getKey(), entry.getValue(), now);
      if (entry.getValue() == null && !changed.isEmpty()) {
        arrivalCount++;
        arrived.addAll(changed);
      } else {
        services.addAll(changed);
      }
    }
    arrivals.record(arrivalCount, now);
    int updated = updateConsumers(mesh, view, services, arrived, Set.of());
    snapshotsSet.accept(updated);
    return new ChangeResult(updated, threads.getCurrentThreadCpuTime() - cpuStart);
  }

  /**
   * Applies proxies' new probe results ({@code null}: none): the consumers of the services whose
   * endpoints changed are recomputed.
   */
  public synchronized ChangeResult probe(String mesh, Map<String, ProbeHealth> results) {
    long cpuStart = threads.getCurrentThreadCpuTime();
    MeshView view = views.get(mesh);
    if (view == null) {
      return new ChangeResult(0, 0);
    }
    Set<String> services = new HashSet<>();
    results.forEach((name, result) -> services.addAll(view.probe(name, result)));
    int updated = updateConsumers(mesh, view, services, Set.of(), Set.of());
    snapshotsSet.accept(updated);
    return new ChangeResult(updated, threads.getCurrentThreadCpuTime() - cpuStart);
  }

  /**
   * Applies again the dataplanes whose address is one of these domain names, which resolved anew:
   * the consumers of the services whose endpoints changed are recomputed.
   */
  public synchronized int reresolve(Set<String> names) {
    int updated = 0;
    for (MeshView view : views.values()) {
      updated += updateConsumers(view.mesh(), view, view.reresolve(names), Set.of(), Set.of());
    }
    for (ConnectedProxy proxy : proxies.values()) {
      MeshView view = views.get(proxy.key.mesh());
      if (view != null && MeshView.reachedAt(proxy.spec, names)) {
        rebuild(proxy, view); // its own listeners listen at the new IP
        updated++;
      }
    }
    snapshotsSet.accept(updated);
    return updated;
  }

  /** Lost proxies whose grace period is over lose their endpoints; returns the snapshots set. */
  public synchronized int expireDepartures() {
    long now = clock.millis();
    int updated = 0;
    for (MeshView view : views.values()) {
      if (view.inGrace() > 0) {
        updated += updateConsumers(view.mesh(), view, view.expire(now), Set.of(), Set.of());
      }
    }
    snapshotsSet.accept(updated);
    return updated;
  }

  /** Endpoints the panic guard keeps in one mesh. */
  public synchronized int heldByPanicGuard(String mesh) {
    MeshView view = views.get(mesh);
    return view == null ? 0 : view.heldByPanicGuard();
  }

  /** Endpoints the panic guard keeps, over every mesh; for metrics. */
  public synchronized int heldByPanicGuard() {
    return views.values().stream().mapToInt(MeshView::heldByPanicGuard).sum();
  }

  // ---- proxies --------------------------------------------------------------------------------

  /**
   * Starts serving a proxy; false when its mesh is not (yet) known to this replica. Only the
   * proxy's own snapshot is computed: what its arrival changes for other proxies (it may be a new
   * endpoint of theirs) comes with the change event of its dataplane, so that a fleet joining at
   * once is pushed to its consumers in batches rather than one push per joining proxy.
   */
  public synchronized boolean connect(ProxyKey key, Dataplane spec) {
    MeshView view = views.get(key.mesh());
    if (view == null) {
      return false;
    }
    ConnectedProxy proxy = proxies.computeIfAbsent(key, k -> new ConnectedProxy(k, spec));
    proxy.spec = spec;
    proxy.answered = false; // a new stream: its proxy has yet to answer
    rebuild(proxy, view);
    snapshotsSet.accept(1);
    return true;
  }

  /**
   * Recomputes the consumers of changed services (but those in {@code skip}); returns how many
   * changed. What {@code arrived} (services that gained new dataplanes) changes for a consumer
   * waits while proxies arrive in a storm, and what any change does waits for a consumer that has
   * not answered its first endpoints ({@link PushPacing}); other changes are pushed at once, with
   * whatever waited for that consumer.
   */
  private int updateConsumers(
      String mesh, MeshView view, Set<String> services, Set<String> arrived, Set<ProxyKey> skip) {
    Map<ProxyKey, Set<String>> now = new HashMap<>();
    Map<ProxyKey, Set<String>> later = new HashMap<>();
    boolean storm = !arrived.isEmpty() && currentDelayMillis() > 0;
    Map<String, Set<ProxyKey>> meshConsumers = consumers.getOrDefault(mesh, Map.of());
    collect(meshConsumers, services, skip, now);
    collect(meshConsumers, arrived, skip, storm ? later : now);
    long nowMillis = clock.millis();
    later.forEach((key, gathered) -> hold(proxies.get(key), gathered, nowMillis));
    int updated = 0;
    for (Map.Entry<ProxyKey, Set<String>> entry : now.entrySet()) {
      ConnectedProxy proxy = proxies.get(entry.getKey());
      if (pacing.holdUntilAnswered() && !proxy.answered) {
        hold(proxy, entry.getValue(), nowMillis);
      } else if (update(proxy, view, release(proxy, entry.getValue()))) {
        updated++;
      }
    }
    return updated;
  }

  private static void collect(
      Map<String, Set<ProxyKey>> meshConsumers,
      Set<String> services,
      Set<ProxyKey> skip,
      Map<ProxyKey, Set<String>> into) {
    for (String service : services) {
      for (ProxyKey consumer : meshConsumers.getOrDefault(service, Set.of())) {
        if (!skip.contains(consumer)) {
          into.computeIfAbsent(consumer, k -> new HashSet<>()).add(service);
        }
      }
    }
  }

  // ---- paced pushes ---------------------------------------------------------------------------

  private void hold(ConnectedProxy proxy, Set<String> services, long nowMillis) {
    if (proxy.held.isEmpty()) {
      proxy.heldSince = nowMillis;
      holding.add(proxy.key);
    }
    proxy.held.addAll(services);
  }

  /** {@code services} and what waited for the proxy, which no longer waits. */
  private Set<String> release(ConnectedProxy proxy, Set<String> services) {
    if (proxy.held.isEmpty()) {
      return services;
    }
    Set<String> all = proxy.held;
    all.addAll(services);
    proxy.held = new HashSet<>();
    holding.remove(proxy.key);
    return all;
  }

  /**
   * Pushes what waited long enough for consumers that answered their first endpoints: all of it
   * once the arrivals' rate fell below the threshold. Called on a short tick; returns the snapshots
   * set.
   */
  public synchronized int flushHeld() {
    if (holding.isEmpty()) {
      return 0;
    }
    long now = clock.millis();
    long delay = currentDelayMillis();
    int updated = 0;
    for (Iterator<ProxyKey> keys = holding.iterator(); keys.hasNext(); ) {
      ConnectedProxy proxy = proxies.get(keys.next());
      if (proxy == null) {
        keys.remove();
      } else if (due(proxy, now, delay)) {
        keys.remove();
        Set<String> services = proxy.held;
        proxy.held = new HashSet<>();
        if (update(proxy, views.get(proxy.key.mesh()), services)) {
          updated++;
        }
      }
    }
    snapshotsSet.accept(updated);
    return updated;
  }

  /**
   * The proxy's stream answered (ACK or NACK) its first endpoints: from now on it is pushed what
   * changes, and what waited for it goes now (or, in a storm, when its delay is over). Returns the
   * snapshots set.
   */
  public synchronized int answered(ProxyKey key) {
    ConnectedProxy proxy = proxies.get(key);
    if (proxy == null || proxy.answered) {
      return 0;
    }
    proxy.answered = true;
    if (proxy.held.isEmpty() || !due(proxy, clock.millis(), currentDelayMillis())) {
      return 0;
    }
    holding.remove(key);
    Set<String> services = proxy.held;
    proxy.held = new HashSet<>();
    int updated = update(proxy, views.get(key.mesh()), services) ? 1 : 0;
    snapshotsSet.accept(updated);
    return updated;
  }

  private boolean due(ConnectedProxy proxy, long nowMillis, long delayMillis) {
    long waited = nowMillis - proxy.heldSince;
    if (!proxy.answered && pacing.holdUntilAnswered()) {
      // A safety net should its answer never be seen: on state of the world the library keeps a
      // snapshot set meanwhile until the proxy asks again, so a late one does no harm.
      return waited >= UNANSWERED_BOUND_MILLIS;
    }
    return waited >= delayMillis;
  }

  private long currentDelayMillis() {
    return pacing.delayMillis(arrivals.perSecond(clock.millis()));
  }

  /** Arrivals over the last second; for metrics. */
  public synchronized int arrivalsPerSecond() {
    return arrivals.perSecond(clock.millis());
  }

  /** How long arrivals' pushes gather now (0: not at all); for metrics. */
  public synchronized long pushDelayMillis() {
    return currentDelayMillis();
  }

  /** Consumers with changes waiting for a later push; for metrics. */
  public synchronized int holding() {
    return holding.size();
  }

  public PushPacing pacing() {
    return pacing;
  }

  public synchronized void disconnect(ProxyKey key) {
    ConnectedProxy proxy = proxies.remove(key);
    if (proxy != null) {
      index(proxy, List.of());
    }
    holding.remove(key);
    cache.clearSnapshot(key.nodeId());
  }

  public synchronized int connected() {
    return proxies.size();
  }

  public synchronized Collection<ProxyKey> connectedKeys() {
    return List.copyOf(proxies.keySet());
  }

  /**
   * Rebuilds every connected proxy from scratch, as a control plane without incremental updates
   * would on each change (each proxy with an empty memo of its own); returns the CPU time it took
   * (ns). For benchmarks and checks; the snapshots served are left alone.
   */
  public synchronized long recomputeAll() {
    long cpuStart = threads.getCurrentThreadCpuTime();
    for (ConnectedProxy proxy : proxies.values()) {
      new ProxyConfigGenerator(new ResourceMemo())
          .generate(proxy.spec, views.get(proxy.key.mesh()));
    }
    return threads.getCurrentThreadCpuTime() - cpuStart;
  }

  /** How many distinct resources all snapshots share; for metrics. */
  public long distinctResources() {
    return memo.size();
  }

  // ---- building -------------------------------------------------------------------------------

  private void rebuild(ConnectedProxy proxy, MeshView view) {
    if (!proxy.held.isEmpty()) { // generated whole: nothing waits any more
      proxy.held = new HashSet<>();
      holding.remove(proxy.key);
    }
    proxy.resources = generator.generate(proxy.spec, view);
    index(proxy, proxy.resources.outbound().stream().map(t -> t.group().target()).toList());
    publish(proxy);
  }

  /** Recomputes what depends on the changed services; false when nothing the proxy sees changed. */
  private boolean update(ConnectedProxy proxy, MeshView view, Set<String> services) {
    ProxyResources resources = proxy.resources;
    for (TargetResources target : proxy.resources.outbound()) {
      if (services.contains(target.group().target().service())) {
        TargetResources fresh = generator.outbound(target.group(), view);
        if (!fresh.sameAs(target)) {
          resources = resources.with(fresh);
        }
      }
    }
    if (resources == proxy.resources) {
      return false;
    }
    proxy.resources = resources;
    publish(proxy);
    return true;
  }

  private void publish(ConnectedProxy proxy) {
    ProxyResources resources = proxy.resources;
    cache.setSnapshot(
        proxy.key.nodeId(),
        new ProxySnapshot(
            resources.listeners(), resources.clusters(), resources.loadAssignments()));
  }

  /** Keeps the service-to-consumers index in step with the proxy's outbound targets. */
  private void index(ConnectedProxy proxy, List<OutboundTarget> targets) {
    Map<String, Set<ProxyKey>> meshConsumers =
        consumers.computeIfAbsent(proxy.key.mesh(), m -> new HashMap<>());
    for (OutboundTarget old : proxy.targets) {
      Set<ProxyKey> set = meshConsumers.get(old.service());
      if (set != null) {
        set.remove(proxy.key);
        if (set.isEmpty()) {
          meshConsumers.remove(old.service());
        }
      }
    }
    for (OutboundTarget target : targets) {
      meshConsumers.computeIfAbsent(target.service(), s -> new HashSet<>()).add(proxy.key);
    }
    proxy.targets = List.copyOf(targets);
  }
}
