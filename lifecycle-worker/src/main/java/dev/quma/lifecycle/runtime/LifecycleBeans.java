package dev.quma.lifecycle.runtime;

import dev.quma.core.insight.Heartbeats;
import dev.quma.core.lease.Lease;
import dev.quma.core.store.ResourceStore;
import dev.quma.lifecycle.LifecycleWorker;
import dev.quma.lifecycle.config.LifecycleConfig;
import dev.quma.lifecycle.config.LifecycleSettings;
import dev.quma.lifecycle.lease.LeaseKeeper;
import dev.quma.lifecycle.sweep.SweepLog;
import dev.quma.lifecycle.sweep.SweepMetrics;
import dev.quma.lifecycle.sweep.Sweeper;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/** Wires the plain lifecycle classes for Quarkus (the tests build the same classes directly). */
@ApplicationScoped
public class LifecycleBeans {
  /** The one lease all replicas of the worker compete for. */
  public static final String LEASE_NAME = "lifecycle-sweeper";

  @Produces
  @Singleton
  LifecycleSettings settings(LifecycleConfig config) {
    return LifecycleSettings.from(config);
  }

  @Produces
  @Singleton
  Heartbeats heartbeats(Redis redis, ResourceStore store) {
    return new Heartbeats(redis, store.keys(), store.settings().streamMaxLength());
  }

  @Produces
  @Singleton
  LeaseKeeper leaseKeeper(Redis redis, ResourceStore store, LifecycleSettings settings) {
    return new LeaseKeeper(
        new Lease(redis, store.keys(), LEASE_NAME, holderId()), settings.leaseTtl());
  }

  @Produces
  @Singleton
  Sweeper sweeper(
      ResourceStore store,
      Heartbeats heartbeats,
      LeaseKeeper lease,
      Clock clock,
      LifecycleSettings settings,
      MeterRegistry registry) {
    Sweeper sweeper = new Sweeper(store, heartbeats, lease, clock, settings);
    sweeper.onSweep(new SweepMetrics(registry, lease::isLeader));
    sweeper.onSweep(new SweepLog());
    return sweeper;
  }

  @Produces
  @Singleton
  LifecycleWorker worker(
      Vertx vertx, LeaseKeeper lease, Sweeper sweeper, LifecycleSettings settings) {
    return new LifecycleWorker(vertx, lease, sweeper, settings);
  }

  /** Who holds the lease, for operators reading it: host name and process id. */
  static String holderId() {
    String host =
        Optional.ofNullable(System.getenv("HOSTNAME"))
            .filter(h -> !h.isBlank())
            .orElseGet(LifecycleBeans::localHostName);
    return host.replace('#', '_') + ":" + ProcessHandle.current().pid();
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown-host";
    }
  }
}
