package dev.quma.xds.snapshot;

import dev.quma.core.insight.Departure;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.model.Dataplane;
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
  private final Map<ProxyKey, ConnectedProxy> proxies = new HashMap<>();
  private final Map<String, Map<String, Set<ProxyKey>>> consumers = new HashMap<>();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final LongConsumer snapshotsSet;
  private final EndpointAddresses addresses;
  private final EndpointHealth health;
  private final Clock clock;

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
    Set<String> services = new HashSet<>();
    Set<ProxyKey> rebuildWhole = new HashSet<>();
    changes.forEach(
        (name, state) -> {
          services.addAll(view.apply(name, state.version(), state.spec()));
          ConnectedProxy proxy = proxies.get(new ProxyKey(mesh, name));
          if (proxy != null && state.spec() != null && !state.spec().equals(proxy.spec)) {
            proxy.spec = state.spec();
            rebuildWhole.add(proxy.key);
          }
        });
    int updated = 0;
    for (ProxyKey key : rebuildWhole) {
      rebuild(proxies.get(key), view);
      updated++;
    }
    updated += updateConsumers(mesh, view, services, rebuildWhole);
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
    departures.forEach((name, departure) -> services.addAll(view.depart(name, departure, now)));
    int updated = updateConsumers(mesh, view, services, Set.of());
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
    int updated = updateConsumers(mesh, view, services, Set.of());
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
      updated += updateConsumers(view.mesh(), view, view.reresolve(names), Set.of());
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
        updated += updateConsumers(view.mesh(), view, view.expire(now), Set.of());
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
    rebuild(proxy, view);
    snapshotsSet.accept(1);
    return true;
  }

  /**
   * Recomputes the consumers of changed services (but those in {@code skip}); returns how many
   * changed.
   */
  private int updateConsumers(
      String mesh, MeshView view, Set<String> services, Set<ProxyKey> skip) {
    Map<ProxyKey, Set<String>> affected = new HashMap<>();
    Map<String, Set<ProxyKey>> meshConsumers = consumers.getOrDefault(mesh, Map.of());
    for (String service : services) {
      for (ProxyKey consumer : meshConsumers.getOrDefault(service, Set.of())) {
        if (!skip.contains(consumer)) {
          affected.computeIfAbsent(consumer, k -> new HashSet<>()).add(service);
        }
      }
    }
    int updated = 0;
    for (Map.Entry<ProxyKey, Set<String>> entry : affected.entrySet()) {
      if (update(proxies.get(entry.getKey()), view, entry.getValue())) {
        updated++;
      }
    }
    return updated;
  }

  public synchronized void disconnect(ProxyKey key) {
    ConnectedProxy proxy = proxies.remove(key);
    if (proxy != null) {
      index(proxy, List.of());
    }
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
