package dev.quma.xds;

import dev.quma.core.dns.DomainNames;
import dev.quma.core.store.StoreUnavailable;
import dev.quma.core.store.StoreWatch;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.xds.config.XdsConfig;
import dev.quma.xds.follow.ViewSync;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.snapshot.PushPacing;
import dev.quma.xds.streams.HeldTokens;
import dev.quma.xds.streams.ProxyStreams;
import dev.quma.xds.streams.TokenRechecks;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Starts following the store and writing insights; on shutdown, closes the subscriptions and stops
 * deregistering (the proxies will reconnect to another replica).
 */
@ApplicationScoped
public class XdsLifecycle {
  private static final Logger LOG = Logger.getLogger(XdsLifecycle.class);
  private static final Duration GRACE_TICK = Duration.ofMillis(100);
  // Paced pushes go on this tick: at most this much after their delay is over.
  private static final Duration PACING_TICK = Duration.ofMillis(50);

  private final DomainNames names;
  private final HeldTokens heldTokens;
  private final ViewSync views;
  private final ProxyStreams streams;
  private final ProxySnapshots snapshots;
  private final ScheduledExecutorService timers;
  private final XdsConfig config;
  private final XdsMetrics metrics;
  private final DataplaneTokenVerifier verifier;
  private final StoreWatch store;

  public XdsLifecycle(
      ViewSync views,
      ProxyStreams streams,
      ProxySnapshots snapshots,
      @Named("xds-timers") ScheduledExecutorService timers,
      XdsConfig config,
      XdsMetrics metrics,
      DataplaneTokenVerifier verifier,
      StoreWatch store,
      HeldTokens heldTokens,
      DomainNames names) {
    this.heldTokens = heldTokens;
    this.names = names;
    this.views = views;
    this.store = store;
    this.verifier = verifier;
    this.streams = streams;
    this.snapshots = snapshots;
    this.timers = timers;
    this.config = config;
    this.metrics = metrics;
  }

  void onStart(@Observes StartupEvent event) {
    Gauge.builder("xds.proxies.connected", snapshots, ProxySnapshots::connected)
        .description("Proxies with an open stream to this replica")
        .register(metrics.registry());
    Gauge.builder("xds.resources.distinct", snapshots, ProxySnapshots::distinctResources)
        .description("Distinct Envoy resources shared by all snapshots")
        .register(metrics.registry());
    Gauge.builder("xds.endpoints.panic.held", snapshots, ProxySnapshots::heldByPanicGuard)
        .description("Endpoints of lost proxies kept by the panic guard")
        .register(metrics.registry());
    registerPacingMetrics();
    if (config.dataplaneAuthn() != XdsConfig.DataplaneAuthn.NONE) {
      views.onTokenStateChange(new TokenRechecks(streams, heldTokens, verifier, store)::recheck);
    }
    views.onDataplaneDeleted(streams::dataplaneDeleted);
    names.onChange(
        changed ->
            views
                .reresolve(changed)
                .subscribe()
                .with(
                    updated -> {},
                    e -> LOG.warnf("could not apply the new address of %s: %s", changed, e)));
    streams.onStoreUnavailable(store::unavailable);
    views.start();
    long flush = config.statsFlushInterval().toMillis();
    long heartbeatEvery = Math.max(1, config.heartbeatInterval().toMillis() / flush);
    AtomicLong ticks = new AtomicLong();
    timers.scheduleWithFixedDelay(
        () -> {
          boolean heartbeat = ticks.incrementAndGet() % heartbeatEvery == 0;
          try {
            streams.flushInsights(heartbeat).await().atMost(Duration.ofSeconds(30));
          } catch (RuntimeException e) {
            if (StoreUnavailable.is(e)) {
              store.unavailable(e); // one line per outage
            } else {
              LOG.warnf("could not write insights: %s", e.getMessage());
            }
          }
        },
        flush,
        flush,
        TimeUnit.MILLISECONDS);
    // Grace periods end on this tick: a lost proxy goes at most this much after its grace.
    timers.scheduleWithFixedDelay(
        () ->
            views
                .expireDepartures()
                .subscribe()
                .with(x -> {}, e -> LOG.warnf("could not end grace periods: %s", e.getMessage())),
        GRACE_TICK.toMillis(),
        GRACE_TICK.toMillis(),
        TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(
        () ->
            views
                .flushHeld()
                .subscribe()
                .with(x -> {}, e -> LOG.warnf("could not push paced changes: %s", e.getMessage())),
        PACING_TICK.toMillis(),
        PACING_TICK.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The join storm settings and what they do now (docs/xds.md, "Join storms"). */
  private void registerPacingMetrics() {
    PushPacing pacing = snapshots.pacing();
    Gauge.builder("xds.join.storm.threshold", pacing, PushPacing::threshold)
        .description("Arrivals per second from which consumers' endpoint pushes gather")
        .register(metrics.registry());
    Gauge.builder("xds.join.storm.delay.seconds", pacing, p -> p.delay().toMillis() / 1000.0)
        .description("How long pushes gather at the threshold's rate (grows with the rate)")
        .register(metrics.registry());
    Gauge.builder("xds.join.storm.max.delay.seconds", pacing, p -> p.maxDelay().toMillis() / 1000.0)
        .description("The bound of the delay")
        .register(metrics.registry());
    Gauge.builder(
            "xds.join.storm.arrivals.per.second", snapshots, ProxySnapshots::arrivalsPerSecond)
        .description("New endpoints (dataplanes created, proxies back) over the last second")
        .register(metrics.registry());
    Gauge.builder(
            "xds.join.storm.current.delay.seconds", snapshots, s -> s.pushDelayMillis() / 1000.0)
        .description("How long arrivals' pushes gather now (0: pushed at once)")
        .register(metrics.registry());
    Gauge.builder("xds.join.storm.consumers.holding", snapshots, ProxySnapshots::holding)
        .description("Consumers with endpoint changes waiting for a later push")
        .register(metrics.registry());
  }

  void onStop(@Observes ShutdownEvent event) {
    LOG.infof(
        "shutting down: closing %d subscriptions, deleting nothing", streams.sessions().size());
    try {
      streams.shutdown().await().atMost(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      LOG.warnf("could not close every subscription: %s", e.getMessage());
    }
    views.stop();
  }
}
