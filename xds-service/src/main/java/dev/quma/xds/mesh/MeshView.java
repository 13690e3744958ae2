package dev.quma.xds.mesh;

import dev.quma.core.dns.DomainNames;
import dev.quma.core.insight.Departure;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.xds.envoy.Protocol;
import dev.quma.xds.envoy.endpoints.ServiceEndpoint;
import dev.quma.xds.envoy.names.EnvoyNames;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * One mesh as the xDS tier sees it: every dataplane's inbounds, grouped by service, and which
 * proxies departed. It answers the endpoints of any outbound target (the ready inbounds of
 * dataplanes whose proxy is connected, never connected, or lost for less than the grace period, as
 * {@link EndpointHealth} says) and tells, for each change of a dataplane or of its connection,
 * which services it affected, so that only the proxies consuming those services are recomputed. Not
 * thread-safe: the owner serialises access.
 */
public final class MeshView implements MeshEndpoints {
  private static final Logger LOG = Logger.getLogger(MeshView.class);

  private final String mesh;
  private final EndpointHealth health;
  private final EndpointAddresses addresses;
  private final Map<String, Departure> departures = new HashMap<>();

  /** Lost proxies past their grace period: their endpoints go, unless the panic guard holds. */
  private final Set<String> expired = new HashSet<>();

  /** Lost proxies still within their grace period. */
  private final Set<String> inGrace = new HashSet<>();

  /** Services whose lost endpoints the panic guard holds, with how many it holds. */
  private final Map<String, Integer> held = new HashMap<>();

  /** The last probe results of each proxy that reported any (HDS). */
  private final Map<String, ProbeHealth> probes = new HashMap<>();

  private final Map<String, Entry> dataplanes = new HashMap<>();
  private final Map<String, Map<String, List<ServiceEndpoint>>> endpointsByService =
      new HashMap<>();
  private final Map<String, EnumMap<Protocol, Integer>> protocolsByService = new HashMap<>();
  private final Map<String, List<ServiceEndpoint>> targetEndpoints = new HashMap<>();

  /** A dataplane as last applied: its version, and what it contributes to each service. */
  private record Entry(
      long version,
      Dataplane spec,
      Map<String, List<ServiceEndpoint>> endpoints,
      Map<String, Protocol> protocols) {}

  /** What a departure makes of a dataplane's endpoints. */
  private enum Presence {
    SERVED,
    /** Lost past the grace period: dropped, unless the panic guard holds its service. */
    LOST,
    LEFT
  }

  public MeshView(String mesh) {
    this(mesh, EndpointHealth.DEFAULTS);
  }

  public MeshView(String mesh, EndpointHealth health) {
    this(mesh, health, EndpointAddresses.AS_WRITTEN);
  }

  private Mesh meshSpec = Mesh.EMPTY;

  public MeshView(String mesh, EndpointHealth health, EndpointAddresses addresses) {
    this.mesh = mesh;
    this.health = health;
    this.addresses = addresses;
  }

  public String mesh() {
    return mesh;
  }

  @Override
  public Mesh meshSpec() {
    return meshSpec;
  }

  /** The mesh resource's spec changed (or was read for the first time). */
  public void meshSpec(Mesh spec) {
    this.meshSpec = spec == null ? Mesh.EMPTY : spec;
  }

  public int size() {
    return dataplanes.size();
  }

  public long version(String dataplane) {
    Entry entry = dataplanes.get(dataplane);
    return entry == null ? -1 : entry.version();
  }

  public Dataplane dataplane(String name) {
    Entry entry = dataplanes.get(name);
    return entry == null ? null : entry.spec();
  }

  public Set<String> dataplaneNames() {
    return Set.copyOf(dataplanes.keySet());
  }

  /**
   * Applies the current state of one dataplane ({@code spec} null when it was deleted) and returns
   * the services whose endpoints or protocol changed with it. Older versions than the one applied
   * already are ignored.
   */
  public Set<String> apply(String name, long version, Dataplane spec) {
    Entry old = dataplanes.get(name);
    if (old != null && version >= 0 && old.version() > version) {
      return Set.of();
    }
    Entry updated = spec == null ? null : entry(name, version, spec, probeOf(name));
    if (updated == null) {
      dataplanes.remove(name);
      probes.remove(name);
      // The store deleted its departure with it; a dataplane created again under the name starts
      // afresh.
      departures.remove(name);
      expired.remove(name);
      inGrace.remove(name);
    } else {
      dataplanes.put(name, updated);
    }
    Map<String, List<ServiceEndpoint>> before = old == null ? Map.of() : old.endpoints();
    Map<String, List<ServiceEndpoint>> after = updated == null ? Map.of() : updated.endpoints();
    Map<String, Protocol> protocolsBefore = old == null ? Map.of() : old.protocols();
    Map<String, Protocol> protocolsAfter = updated == null ? Map.of() : updated.protocols();
    Set<String> services = new HashSet<>(before.keySet());
    services.addAll(after.keySet());
    services.addAll(protocolsBefore.keySet());
    services.addAll(protocolsAfter.keySet());
    Set<String> changed = new HashSet<>();
    for (String service : services) {
      boolean endpointsChanged = !Objects.equals(before.get(service), after.get(service));
      Protocol protocolBefore = protocol(service);
      replace(
          service,
          name,
          after.get(service),
          protocolsBefore.get(service),
          protocolsAfter.get(service));
      if (endpointsChanged || protocolBefore != protocol(service)) {
        changed.add(service);
        invalidate(service);
      }
    }
    return changed;
  }

  /**
   * Applies a proxy's probe results ({@code result} null for none); returns the services whose
   * endpoints changed with them. Probe results are never held by the panic guard.
   */
  public Set<String> probe(String name, ProbeHealth result) {
    if (result == null) {
      probes.remove(name);
    } else {
      probes.put(name, result);
    }
    Entry entry = dataplanes.get(name);
    return entry == null ? Set.of() : apply(name, entry.version(), entry.spec());
  }

  @Override
  public String listenAddress(String address) {
    String ip = addresses.ipOf(address);
    return ip == null ? address : ip;
  }

  /** Whether the dataplane is reached at one of these domain names. */
  public static boolean reachedAt(Dataplane spec, Set<String> names) {
    Dataplane.Networking networking = spec == null ? null : spec.networking();
    return networking != null
        && (among(names, networking.address()) || among(names, networking.advertisedAddress()));
  }

  /**
   * Applies again the dataplanes whose address is one of these domain names (they resolved anew);
   * returns the services whose endpoints changed.
   */
  public Set<String> reresolve(Set<String> names) {
    Set<String> changed = new HashSet<>();
    for (Map.Entry<String, Entry> dataplane : List.copyOf(dataplanes.entrySet())) {
      Dataplane.Networking networking = dataplane.getValue().spec().networking();
      if (networking != null
          && (among(names, networking.address()) || among(names, networking.advertisedAddress()))) {
        Entry entry = dataplane.getValue();
        changed.addAll(apply(dataplane.getKey(), entry.version(), entry.spec()));
      }
    }
    return changed;
  }

  private static boolean among(Set<String> names, String address) {
    return address != null && names.contains(address); // Set.of(...) refuses to look up null
  }

  private ProbeHealth probeOf(String name) {
    return health.serviceProbes() ? probes.get(name) : null;
  }

  /**
   * Applies a proxy's departure ({@code departure} null when it is connected again) as of {@code
   * nowMillis}; returns the services whose endpoints may have changed with it.
   */
  public Set<String> depart(String name, Departure departure, long nowMillis) {
    Presence before = presence(name);
    if (departure == null) {
      departures.remove(name);
    } else {
      departures.put(name, departure);
    }
    expired.remove(name);
    inGrace.remove(name);
    if (departure != null && departure.kind() == Departure.Kind.LOST) {
      boolean over = nowMillis >= departure.sinceMillis() + health.grace().toMillis();
      (over ? expired : inGrace).add(name);
    }
    return presence(name) == before ? Set.of() : servicesOf(name);
  }

  /**
   * Lost proxies whose grace period is over by {@code nowMillis} lose their endpoints; returns the
   * services affected.
   */
  public Set<String> expire(long nowMillis) {
    Set<String> changed = new HashSet<>();
    long grace = health.grace().toMillis();
    for (var waiting = inGrace.iterator(); waiting.hasNext(); ) {
      String name = waiting.next();
      if (nowMillis >= departures.get(name).sinceMillis() + grace) {
        waiting.remove();
        expired.add(name);
        changed.addAll(servicesOf(name));
      }
    }
    return changed;
  }

  /** How many lost proxies are within their grace period. */
  public int inGrace() {
    return inGrace.size();
  }

  /** Endpoints kept by the panic guard, over all services of the mesh. */
  public int heldByPanicGuard() {
    return held.values().stream().mapToInt(Integer::intValue).sum();
  }

  private Set<String> servicesOf(String name) {
    Entry entry = dataplanes.get(name);
    if (entry == null) {
      return Set.of();
    }
    Set<String> services = entry.endpoints().keySet();
    services.forEach(this::invalidate);
    return Set.copyOf(services);
  }

  private Presence presence(String name) {
    Departure departure = departures.get(name);
    if (departure == null) {
      return Presence.SERVED;
    }
    if (departure.kind() != Departure.Kind.LOST) {
      return Presence.LEFT; // left, or Offline: gone, and never held
    }
    return expired.contains(name) ? Presence.LOST : Presence.SERVED;
  }

  @Override
  public List<ServiceEndpoint> endpoints(OutboundTarget target) {
    return targetEndpoints.computeIfAbsent(
        EnvoyNames.outboundCluster(target.tags()),
        cluster -> {
          List<ServiceEndpoint> matching = new ArrayList<>();
          boolean panicking = held.containsKey(target.service());
          for (Map.Entry<String, List<ServiceEndpoint>> ofDataplane :
              endpointsByService.getOrDefault(target.service(), Map.of()).entrySet()) {
            Presence presence = presence(ofDataplane.getKey());
            if (presence == Presence.LEFT || (presence == Presence.LOST && !panicking)) {
              continue;
            }
            for (ServiceEndpoint endpoint : ofDataplane.getValue()) {
              if (target.matches(endpoint.tags())) {
                matching.add(endpoint);
              }
            }
          }
          matching.sort(null);
          return List.copyOf(matching);
        });
  }

  @Override
  public Protocol protocol(String service) {
    EnumMap<Protocol, Integer> counts = protocolsByService.get(service);
    if (counts == null || counts.size() != 1) {
      return Protocol.TCP;
    }
    return counts.keySet().iterator().next();
  }

  private void replace(
      String service,
      String dataplane,
      List<ServiceEndpoint> endpoints,
      Protocol oldProtocol,
      Protocol newProtocol) {
    Map<String, List<ServiceEndpoint>> byDataplane =
        endpointsByService.computeIfAbsent(service, s -> new HashMap<>());
    if (endpoints == null || endpoints.isEmpty()) {
      byDataplane.remove(dataplane);
    } else {
      byDataplane.put(dataplane, endpoints);
    }
    if (byDataplane.isEmpty()) {
      endpointsByService.remove(service);
    }
    EnumMap<Protocol, Integer> counts =
        protocolsByService.computeIfAbsent(service, s -> new EnumMap<>(Protocol.class));
    if (oldProtocol != null) {
      counts.computeIfPresent(oldProtocol, (p, n) -> n <= 1 ? null : n - 1);
    }
    if (newProtocol != null) {
      counts.merge(newProtocol, 1, Integer::sum);
    }
    if (counts.isEmpty()) {
      protocolsByService.remove(service);
    }
  }

  private void invalidate(String service) {
    String prefix = service + "{";
    targetEndpoints
        .keySet()
        .removeIf(cluster -> cluster.equals(service) || cluster.startsWith(prefix));
    guard(service);
  }

  /**
   * The panic guard of one service: when lost proxies would take more than the threshold of its
   * endpoints (those of proxies that left do not count), they are all kept. Said once when it
   * starts holding and once when it lets go.
   */
  private void guard(String service) {
    int total = 0;
    int lost = 0;
    for (Map.Entry<String, List<ServiceEndpoint>> ofDataplane :
        endpointsByService.getOrDefault(service, Map.of()).entrySet()) {
      Presence presence = presence(ofDataplane.getKey());
      if (presence != Presence.LEFT) {
        total += ofDataplane.getValue().size();
      }
      if (presence == Presence.LOST) {
        lost += ofDataplane.getValue().size();
      }
    }
    boolean panics = health.panics(lost, total);
    Integer before = panics ? held.put(service, lost) : held.remove(service);
    if (panics && before == null) {
      LOG.warnf(
          "mesh %s, service %s: broken connections would take %d of its %d endpoints (more than"
              + " %d%%); keeping them all until more of them are back",
          mesh, service, lost, total, health.panicThresholdPercent());
    } else if (!panics && before != null) {
      LOG.infof(
          "mesh %s, service %s: the panic guard lets go (%d of %d endpoints lost)",
          mesh, service, lost, total);
    }
  }

  /**
   * What a dataplane contributes: its ready inbounds (as stored, and as its probes say) as
   * endpoints, and each service's protocol.
   */
  private Entry entry(String name, long version, Dataplane spec, ProbeHealth probed) {
    Map<String, List<ServiceEndpoint>> endpoints = new TreeMap<>();
    Map<String, Protocol> protocols = new TreeMap<>();
    Dataplane.Networking networking = spec.networking();
    if (networking != null) {
      for (Dataplane.Inbound inbound : networking.inbound()) {
        String service = inbound.tags().get(Dataplane.SERVICE_TAG);
        if (service == null || inbound.port() == null) {
          continue;
        }
        protocols.putIfAbsent(service, Protocol.of(inbound.tags().get(Dataplane.PROTOCOL_TAG)));
        if (!inbound.ready() || (health.serviceProbes() && !ProbeHealth.allows(probed, inbound))) {
          continue;
        }
        String address = addresses.ipOf(DomainNames.endpointAddress(networking, inbound));
        if (address == null) {
          continue; // a domain name that does not resolve (yet)
        }
        endpoints
            .computeIfAbsent(service, s -> new ArrayList<>())
            .add(new ServiceEndpoint(name, address, inbound.port(), inbound.tags()));
      }
    }
    endpoints.replaceAll(
        (service, list) -> {
          list.sort(null);
          return List.copyOf(list);
        });
    return new Entry(version, spec, endpoints, protocols);
  }
}
