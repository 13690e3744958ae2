package dev.quma.xds;

import dev.quma.core.admission.DataplaneAdmission;
import dev.quma.core.dns.DomainNames;
import dev.quma.core.events.ChangeFollower;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.ConnectedProxies;
import dev.quma.core.insight.Departures;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.insight.ProbeResults;
import dev.quma.core.insight.ReplicaRun;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreWatch;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.xds.admission.AdmissionGate;
import dev.quma.xds.admission.ProxyAdmission;
import dev.quma.xds.config.XdsConfig;
import dev.quma.xds.follow.ViewSync;
import dev.quma.xds.health.HdsConfig;
import dev.quma.xds.mesh.EndpointAddresses;
import dev.quma.xds.mesh.EndpointHealth;
import dev.quma.xds.server.StreamCounters;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.snapshot.PushPacing;
import dev.quma.xds.streams.HeldTokens;
import dev.quma.xds.streams.ProxyStreams;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * Wires the xDS tier: snapshots and the discovery server, admission, streams and the views kept in
 * step with the store.
 */
@ApplicationScoped
public class XdsBeans {
  private static final Logger LOG = Logger.getLogger(XdsBeans.class);

  @Produces
  @Singleton
  ProxySnapshots snapshots(
      XdsMetrics metrics, XdsConfig config, HdsConfig hds, DomainNames names, Clock clock) {
    return snapshotsOver(
        new io.envoyproxy.controlplane.cache.v3.SimpleCache<>(
            io.envoyproxy.envoy.config.core.v3.Node::getId),
        metrics,
        config,
        hds,
        EndpointAddresses.resolvedBy(names),
        clock);
  }

  /** The snapshots over a given cache (the tests give one that judges each snapshot set). */
  static ProxySnapshots snapshotsOver(
      io.envoyproxy.controlplane.cache.v3.SimpleCache<String> cache,
      XdsMetrics metrics,
      XdsConfig config,
      HdsConfig hds,
      EndpointAddresses addresses,
      Clock clock) {
    return new ProxySnapshots(
        cache,
        metrics::snapshotsSet,
        new EndpointHealth(
            config.connectionGrace(), config.connectionPanicThreshold(), hds.enabled()),
        addresses,
        clock,
        new PushPacing(
            config.joinStorm().threshold(),
            config.joinStorm().delay(),
            config.joinStorm().maxDelay(),
            config.joinStorm().holdUntilAnswered()));
  }

  /** Counts each ADS stream's responses, ACKs and NACKs from the discovery server's callbacks. */
  @Produces
  @Singleton
  StreamCounters streamCounters(XdsMetrics metrics, ViewSync views, Clock clock) {
    return new StreamCounters(metrics::nacked, views::answered, clock);
  }

  @Produces
  @Singleton
  V3DiscoveryServer discoveryServer(ProxySnapshots snapshots, StreamCounters counters) {
    // The cached serializer packs a resource shared by many snapshots once, not once per proxy.
    return new V3DiscoveryServer(
        List.of(counters),
        snapshots.cache(),
        new DefaultExecutorGroup(),
        new CachedProtoResourcesSerializer());
  }

  @Produces
  @Singleton
  ProxyAdmission admission(
      ResourceStore store,
      DataplaneTokenVerifier verifier,
      Redis redis,
      Clock clock,
      XdsConfig config) {
    // A second proxy under a connected one's name, with another resource, is refused
    // (ALREADY_EXISTS), as the bootstrap tier refuses it (409). Connected: an open subscription
    // whose replica's heartbeat is at most three intervals old, so a crashed replica's proxies stop
    // counting soon after.
    ConnectedProxies connected =
        new ConnectedProxies(
            redis, store.keys(), clock, config.heartbeatInterval().multipliedBy(3));
    if (config.dataplaneAuthn() == XdsConfig.DataplaneAuthn.NONE) {
      LOG.warn(
          "dataplane tokens are NOT checked (quma.xds.dataplane-authn=none): any client that"
              + " reaches the xDS port can register and read the mesh's configuration");
      return new ProxyAdmission(store, new DataplaneAdmission(store, null, connected));
    }
    return new ProxyAdmission(store, new DataplaneAdmission(store, verifier, connected));
  }

  @Produces
  @Singleton
  @Named("xds-timers")
  ScheduledExecutorService timers() {
    return Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "xds-timers"));
  }

  void closeTimers(@Disposes @Named("xds-timers") ScheduledExecutorService timers) {
    timers.shutdownNow();
  }

  @Produces
  @Singleton
  @Named("xds-view")
  ExecutorService viewThread() {
    return Executors.newSingleThreadExecutor(r -> daemon(r, "xds-view"));
  }

  void closeViewThread(@Disposes @Named("xds-view") ExecutorService viewThread) {
    viewThread.shutdownNow();
  }

  /** The health check streams' tokens, checked again with the ADS streams' on a revocation. */
  @Produces
  @Singleton
  HeldTokens heldTokens() {
    return new HeldTokens();
  }

  @Produces
  @Singleton
  ProxyStreams streams(
      ProxySnapshots snapshots,
      ViewSync views,
      InsightWriter writer,
      InsightReader insights,
      ResourceStore store,
      @Named("xds-timers") ScheduledExecutorService timers,
      Clock clock,
      XdsConfig config) {
    return new ProxyStreams(
        snapshots,
        views,
        writer,
        insights,
        store,
        timers,
        clock,
        config.deregistrationDelay(),
        config.connectionGrace(),
        // Three heartbeats vouch for this replica: one lost write does not make it look dead.
        // Heartbeats go out with a stats flush, so never more often than those.
        new ReplicaRun(
            config.instanceId(),
            clock.millis(),
            max(config.heartbeatInterval(), config.statsFlushInterval()).multipliedBy(3)),
        new AdmissionGate(config.admissionConcurrency()));
  }

  @Produces
  @Singleton
  ViewSync views(
      Redis redis,
      ChangeStream changes,
      ResourceStore store,
      ResourceQueries queries,
      Departures departures,
      ProbeResults probes,
      ProxySnapshots snapshots,
      @Named("xds-view") ExecutorService viewThread,
      Clock clock,
      XdsConfig config,
      XdsMetrics metrics,
      StoreWatch watch) {
    ChangeFollower follower =
        new ChangeFollower(
            redis,
            changes,
            clock,
            new ChangeFollower.Settings(
                config.eventBatchSize(),
                config.resyncInterval(),
                config.changeCoalescing(),
                Duration.ofSeconds(1)));
    follower.reportOutagesTo(watch::unavailable);
    return new ViewSync(
        follower,
        store,
        queries,
        departures,
        probes,
        snapshots,
        viewThread,
        clock,
        metrics::changeApplied);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
