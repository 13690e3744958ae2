package dev.quma.core.dns;

import dev.quma.core.model.Dataplane;
import dev.quma.core.validation.Addresses;
import io.smallrye.mutiny.Uni;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Domain names in dataplane addresses ({@code networking.address}, {@code advertisedAddress}),
 * resolved to an IP by the control plane, as Kuma's Universal mode does: Envoy needs IPs in its
 * endpoints. Lookups block, so they run on threads of their own and readers only ever see the last
 * result ({@link #current}); a name asked for the first time is looked up at once and the listeners
 * hear when it resolves. Every known name is looked up again on each refresh; a name no one asked
 * for during a whole {@code forgetAfter} is dropped.
 *
 * <p>The address kept for a name is stable: while the old IP is still among the answers it stays,
 * so a DNS server that rotates its answers does not move endpoints on every refresh.
 */
public final class DomainNames implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DomainNames.class);

  /** Looks a name up; the JDK's resolver by default, a test's own in tests. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> lookup(String name) throws UnknownHostException;

    Resolver SYSTEM = name -> List.of(InetAddress.getAllByName(name));
  }

  /**
   * The last lookup of a name: its IP, or why there is none.
   *
   * @param address null when the name does not resolve (or is not looked up yet)
   * @param problem why there is no address, for people
   */
  public record Resolution(String name, String address, String problem, Instant at) {
    public boolean resolved() {
      return address != null;
    }
  }

  private static final class Known {
    volatile Resolution last;
    volatile long askedMillis;
  }

  private final Resolver resolver;
  private final Clock clock;
  private final Duration forgetAfter;
  private final ExecutorService lookups;
  private final ScheduledExecutorService refresher;
  private final Map<String, Known> names = new ConcurrentHashMap<>();
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

  public DomainNames(Resolver resolver, Clock clock, Duration refreshEvery, Duration forgetAfter) {
    this.resolver = resolver;
    this.clock = clock;
    this.forgetAfter = forgetAfter;
    this.lookups = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dns-", 0).factory());
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dns-refresh").daemon().factory());
    long every = refreshEvery.toMillis();
    refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Where other proxies reach an inbound, as written: the dataplane's advertised address, else the
   * inbound's, else the dataplane's; a domain name until resolved.
   */
  public static String endpointAddress(Dataplane.Networking networking, Dataplane.Inbound inbound) {
    String advertised = networking.advertisedAddress();
    if (advertised != null && !advertised.isEmpty()) {
      return advertised;
    }
    return inbound.effectiveAddress(networking.address());
  }

  /** Whether an address is a domain name (not an IP literal) that needs resolving. */
  public static boolean isDomainName(String address) {
    return address != null && !address.isEmpty() && !Addresses.isIp(address);
  }

  /**
   * Tells {@code listener} the names whose address changed (resolved, moved, or stopped resolving),
   * on a lookup thread.
   */
  public void onChange(Consumer<Set<String>> listener) {
    listeners.add(listener);
  }

  /**
   * The last lookup of {@code name}, without waiting: null when it was never looked up, and then
   * the lookup starts (its result reaches the listeners).
   */
  public Resolution current(String name) {
    Known known = names.get(name);
    if (known == null) {
      Known fresh = new Known();
      known = names.putIfAbsent(name, fresh);
      if (known == null) {
        fresh.askedMillis = clock.millis();
        lookups.execute(() -> firstLookUp(name, fresh));
        return null;
      }
    }
    known.askedMillis = clock.millis();
    return known.last;
  }

  /**
   * The last lookup of {@code name}, or, for a name never looked up, the first lookup once it is
   * done (on a lookup thread: the caller's is never blocked).
   */
  public Uni<Resolution> resolve(String name) {
    Resolution known = current(name);
    if (known != null) {
      return Uni.createFrom().item(known);
    }
    Known entry = names.computeIfAbsent(name, any -> new Known()); // forgotten meanwhile
    return Uni.createFrom()
        .completionStage(CompletableFuture.supplyAsync(() -> firstLookUp(name, entry), lookups));
  }

  /** Looks every known name up again; drops those no one asked for since {@code forgetAfter}. */
  public void refresh() {
    long forgottenBefore = clock.millis() - forgetAfter.toMillis();
    names.forEach(
        (name, known) -> {
          if (known.askedMillis < forgottenBefore) {
            names.remove(name, known);
          } else {
            lookups.execute(() -> lookUp(name, known));
          }
        });
  }

  private void lookUp(String name, Known known) {
    synchronized (known) { // the first lookup and a refresh may overlap
      lookUpNow(name, known);
    }
  }

  /** The name's first lookup, unless one already finished: current() and resolve() share it. */
  private Resolution firstLookUp(String name, Known known) {
    synchronized (known) {
      if (known.last == null) {
        lookUpNow(name, known);
      }
      return known.last;
    }
  }

  private void lookUpNow(String name, Known known) {
    Resolution before = known.last;
    Resolution now;
    try {
      now = new Resolution(name, choose(resolver.lookup(name), before), null, clock.instant());
    } catch (UnknownHostException e) {
      now = new Resolution(name, null, "does not resolve", clock.instant());
    } catch (RuntimeException e) {
      now =
          new Resolution(
              name, null, "could not be looked up (" + e.getMessage() + ")", clock.instant());
    }
    known.last = now;
    boolean changed = before == null || !Objects.equals(before.address(), now.address());
    if (!changed) {
      return;
    }
    if (now.resolved()) {
      LOG.infof("dataplane address %s resolves to %s", name, now.address());
    } else if (before == null || before.resolved()) {
      LOG.warnf(
          "dataplane address %s %s; its inbounds are no endpoints until it resolves",
          name, now.problem());
    }
    for (Consumer<Set<String>> listener : listeners) {
      try {
        listener.accept(Set.of(name));
      } catch (RuntimeException e) {
        LOG.warnf(e, "a listener of domain name changes failed");
      }
    }
  }

  /**
   * The IP kept for a name: the previous one while it is still among the answers, else IPv4 first.
   */
  private static String choose(List<InetAddress> answers, Resolution before) {
    if (answers.isEmpty()) {
      throw new IllegalStateException("no addresses");
    }
    List<String> ips = new ArrayList<>();
    answers.stream()
        .sorted(Comparator.comparing((InetAddress a) -> !(a instanceof Inet4Address)))
        .forEach(a -> ips.add(a.getHostAddress()));
    if (before != null && before.resolved() && ips.contains(before.address())) {
      return before.address();
    }
    return ips.get(0);
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    lookups.shutdownNow();
  }
}
