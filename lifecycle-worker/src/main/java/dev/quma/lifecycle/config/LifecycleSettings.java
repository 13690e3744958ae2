package dev.quma.lifecycle.config;

import dev.quma.core.runtime.GoDuration;
import java.time.Duration;

/**
 * The lifecycle worker's settings, checked once at startup so that a bad value stops the service
 * with a message naming it rather than misbehaving later.
 *
 * @param idleTimeout no heartbeat for this long: Offline
 * @param cleanupAge offline and not heard from for this long: deleted
 * @param cleanupIndirect whether the cleanup deletes Indirect (API-created) dataplanes too
 * @param sweepInterval how often the leader sweeps
 * @param batchSize dataplanes handled per round trip
 * @param leaseTtl how long the sweeper lease lasts without renewal
 * @param leaseRenewEvery how often the leader renews it and the others try to take it
 * @param staleHeartbeat an online dataplane not heard from for this long has the subscriptions of
 *     replicas that are no longer live closed
 */
public record LifecycleSettings(
    Duration idleTimeout,
    Duration cleanupAge,
    boolean cleanupIndirect,
    Duration sweepInterval,
    int batchSize,
    Duration leaseTtl,
    Duration leaseRenewEvery,
    Duration staleHeartbeat) {

  public static final Duration DEFAULT_STALE_HEARTBEAT = Duration.ofSeconds(30);

  public LifecycleSettings(
      Duration idleTimeout,
      Duration cleanupAge,
      boolean cleanupIndirect,
      Duration sweepInterval,
      int batchSize,
      Duration leaseTtl,
      Duration leaseRenewEvery) {
    this(
        idleTimeout,
        cleanupAge,
        cleanupIndirect,
        sweepInterval,
        batchSize,
        leaseTtl,
        leaseRenewEvery,
        DEFAULT_STALE_HEARTBEAT);
  }

  /** Vert.x' Redis client refuses a pipeline longer than its waiting queue (2048 by default). */
  public static final int MAX_BATCH_SIZE = 1000;

  public LifecycleSettings {
    positive("quma.lifecycle.idle-timeout (KUMA_METRICS_DATAPLANE_IDLE_TIMEOUT)", idleTimeout);
    positive(
        "quma.lifecycle.cleanup-age (KUMA_RUNTIME_UNIVERSAL_DATAPLANE_CLEANUP_AGE)", cleanupAge);
    positive("quma.lifecycle.sweep-interval", sweepInterval);
    positive("quma.lifecycle.lease.ttl", leaseTtl);
    positive("quma.lifecycle.lease.renew-every", leaseRenewEvery);
    positive("quma.lifecycle.stale-heartbeat", staleHeartbeat);
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "quma.lifecycle.batch-size must be between 1 and "
              + MAX_BATCH_SIZE
              + ", got "
              + batchSize);
    }
    // Renewing at least twice per lifetime lets one renewal fail (a slow Redis) without losing it.
    if (leaseRenewEvery.multipliedBy(2).compareTo(leaseTtl) > 0) {
      throw new IllegalArgumentException(
          "quma.lifecycle.lease.renew-every ("
              + GoDuration.format(leaseRenewEvery)
              + ") must be at most half of quma.lifecycle.lease.ttl ("
              + GoDuration.format(leaseTtl)
              + ")");
    }
  }

  public static LifecycleSettings from(LifecycleConfig config) {
    return new LifecycleSettings(
        config.idleTimeout(),
        config.cleanupAge(),
        config.cleanupIndirect(),
        config.sweepInterval(),
        config.batchSize(),
        config.lease().ttl(),
        config.lease().renewEvery(),
        config.staleHeartbeat());
  }

  /** For the startup log line. */
  public String describe() {
    return "idle timeout "
        + GoDuration.format(idleTimeout)
        + ", cleanup age "
        + GoDuration.format(cleanupAge)
        + (cleanupIndirect ? " (Direct and Indirect)" : " (Direct only; Indirect kept)")
        + ", sweep every "
        + GoDuration.format(sweepInterval)
        + " in batches of "
        + batchSize
        + ", lease "
        + GoDuration.format(leaseTtl)
        + " renewed every "
        + GoDuration.format(leaseRenewEvery);
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          name
              + " must be a positive duration, got "
              + (value == null ? "nothing" : GoDuration.format(value)));
    }
  }
}
