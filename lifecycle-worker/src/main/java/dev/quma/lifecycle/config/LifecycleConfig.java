package dev.quma.lifecycle.config;

import dev.quma.core.runtime.GoDurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the lifecycle worker; durations are written as Kuma writes them ({@code 5m}, {@code
 * 72h}, {@code 1h30m}). application.properties maps Kuma's environment names onto the two Kuma
 * settings. See the configuration table in the README.
 */
@ConfigMapping(prefix = "quma.lifecycle")
public interface LifecycleConfig {
  /**
   * No heartbeat for this long: the dataplane is marked Offline ({@code
   * KUMA_METRICS_DATAPLANE_IDLE_TIMEOUT}).
   */
  @WithDefault("5m")
  @WithConverter(GoDurationConverter.class)
  Duration idleTimeout();

  /**
   * Offline and not heard from for this long: the dataplane is deleted ({@code
   * KUMA_RUNTIME_UNIVERSAL_DATAPLANE_CLEANUP_AGE}).
   */
  @WithDefault("72h")
  @WithConverter(GoDurationConverter.class)
  Duration cleanupAge();

  /**
   * Whether the cleanup also deletes Indirect dataplanes (created through the API). Kuma does; set
   * false to keep them until an operator deletes them.
   */
  @WithDefault("true")
  boolean cleanupIndirect();

  /** How often the leader sweeps. */
  @WithDefault("30s")
  @WithConverter(GoDurationConverter.class)
  Duration sweepInterval();

  /**
   * An online dataplane not heard from for this long (the xDS tier renews heartbeats every 10 s)
   * has the subscriptions of xDS replicas that are no longer live closed, so that the proxies of a
   * crashed replica that did not reconnect leave their consumers long before the idle timeout.
   */
  @WithDefault("30s")
  @WithConverter(GoDurationConverter.class)
  Duration staleHeartbeat();

  /** Dataplanes handled per round trip to Redis (at most 1000). */
  @WithDefault("500")
  int batchSize();

  Lease lease();

  /** The lease that makes one replica the sweeper. */
  interface Lease {
    /** A dead leader's lease expires after this long; a successor takes over then. */
    @WithDefault("30s")
    @WithConverter(GoDurationConverter.class)
    Duration ttl();

    /** How often the leader renews its lease and the others try to take it. */
    @WithDefault("10s")
    @WithConverter(GoDurationConverter.class)
    Duration renewEvery();
  }
}
