package dev.quma.core.runtime;

import dev.quma.core.auth.UserTokens;
import dev.quma.core.dns.DomainNames;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.Departures;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.insight.ProbeResults;
import dev.quma.core.insight.XdsReplicas;
import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.store.ClusterId;
import dev.quma.core.store.DefaultMeshMarker;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.store.WriteReplicas;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.VerifierSettings;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/** Makes mesh-core's stores available for injection in every Quarkus service. */
@ApplicationScoped
public class CoreBeans {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  ResourceStore resourceStore(Redis redis, StoreConfig config, Clock clock) {
    return new ResourceStore(
        redis,
        new StoreSettings(
            config.keyPrefix(),
            config.streamMaxLength(),
            new WriteReplicas(config.writeReplicas(), config.writeReplicasTimeout())),
        clock);
  }

  @Produces
  @Singleton
  ResourceQueries resourceQueries(ResourceStore store) {
    return new ResourceQueries(store);
  }

  @Produces
  @Singleton
  ClusterId clusterId(ResourceStore store) {
    return new ClusterId(store);
  }

  @Produces
  @Singleton
  DefaultMeshMarker defaultMeshMarker(ResourceStore store, Clock clock) {
    return new DefaultMeshMarker(store, clock);
  }

  @Produces
  @Singleton
  InsightReader insightReader(Redis redis, ResourceStore store, Clock clock) {
    return new InsightReader(redis, store.keys(), clock);
  }

  /** The xDS replicas seen in the last hour (an ended one is shown as offline for that long). */
  @Produces
  @Singleton
  XdsReplicas xdsReplicas(Redis redis, ResourceStore store, Clock clock) {
    return new XdsReplicas(redis, store.keys(), clock, Duration.ofHours(1));
  }

  @Produces
  @Singleton
  Departures departures(Redis redis, ResourceStore store) {
    return new Departures(redis, store.keys());
  }

  @Produces
  @Singleton
  ProbeResults probeResults(Redis redis, ResourceStore store) {
    return new ProbeResults(redis, store.keys(), store.settings().streamMaxLength());
  }

  @Produces
  @Singleton
  InsightWriter insightWriter(Redis redis, ResourceStore store) {
    return new InsightWriter(redis, store.keys(), store.settings().streamMaxLength());
  }

  @Produces
  @Singleton
  ChangeStream changeStream(Redis redis, ResourceStore store) {
    return new ChangeStream(redis, store.keys());
  }

  @Produces
  @Singleton
  MeshStatsStore meshStats(Redis redis, ResourceStore store) {
    return new MeshStatsStore(redis, store);
  }

  @Produces
  @Singleton
  DataplaneTokenVerifier dataplaneTokenVerifier(
      ResourceStore store, ChangeStream changes, Clock clock, DataplaneTokensConfig config) {
    return new DataplaneTokenVerifier(
        store,
        changes,
        clock,
        new VerifierSettings(config.clockSkew(), config.cacheRefreshInterval()));
  }

  /** Names no one asked for in ten minutes are dropped (the dataplane went, or changed address). */
  @Produces
  @Singleton
  DomainNames domainNames(Clock clock, DnsConfig config) {
    return new DomainNames(
        DomainNames.Resolver.SYSTEM, clock, config.refreshInterval(), Duration.ofMinutes(10));
  }

  void closeDomainNames(@Disposes DomainNames names) {
    names.close();
  }

  @Produces
  @Singleton
  UserTokens userTokens(ResourceStore store, Clock clock) {
    return new UserTokens(store, clock);
  }
}
