package dev.quma.lifecycle;

import dev.quma.lifecycle.config.LifecycleSettings;
import dev.quma.lifecycle.lease.LeaseKeeper;
import dev.quma.lifecycle.sweep.SweepReport;
import dev.quma.lifecycle.sweep.Sweeper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The worker's two loops, on Vert.x timers (millisecond precision, and the very loops the
 * two-replica tests run): every {@code lease.renew-every} the lease is renewed or sought; every
 * {@code sweep-interval}, and at once when this replica becomes the leader, the leader sweeps. A
 * sweep still running when the next is due makes that one skip, so sweeps never overlap here; the
 * lease keeps other replicas out.
 */
public final class LifecycleWorker {
  private static final Logger LOG = Logger.getLogger(LifecycleWorker.class);

  private final Vertx vertx;
  private final LeaseKeeper lease;
  private final Sweeper sweeper;
  private final LifecycleSettings settings;
  private final AtomicBoolean leaseBusy = new AtomicBoolean();
  private final AtomicBoolean sweepBusy = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile Uni<Void> lastTick = Uni.createFrom().voidItem();
  private volatile Uni<SweepReport> lastSweep = Uni.createFrom().nullItem();
  private long leaseTimer = -1;
  private long sweepTimer = -1;

  public LifecycleWorker(
      Vertx vertx, LeaseKeeper lease, Sweeper sweeper, LifecycleSettings settings) {
    this.vertx = vertx;
    this.lease = lease;
    this.sweeper = sweeper;
    this.settings = settings;
    lease.onAcquired(this::sweepNow);
  }

  public synchronized void start() {
    leaseTimer = vertx.setPeriodic(settings.leaseRenewEvery().toMillis(), id -> tickLease());
    sweepTimer = vertx.setPeriodic(settings.sweepInterval().toMillis(), id -> sweepNow());
    tickLease();
  }

  public boolean isLeader() {
    return lease.isLeader();
  }

  /** Renews or seeks the lease, unless the previous try is still waiting for Redis. */
  void tickLease() {
    if (stopping || !leaseBusy.compareAndSet(false, true)) {
      return;
    }
    Uni<Void> tick =
        lease.tick().onTermination().invoke(() -> leaseBusy.set(false)).memoize().indefinitely();
    lastTick = tick;
    tick.subscribe().with(done -> {}, e -> LOG.warn("lease tick failed", e));
  }

  /** Starts a sweep if this replica leads and none is running. */
  void sweepNow() {
    if (stopping || !lease.isLeader() || !sweepBusy.compareAndSet(false, true)) {
      return;
    }
    Uni<SweepReport> sweep =
        sweeper.sweep().onTermination().invoke(() -> sweepBusy.set(false)).memoize().indefinitely();
    lastSweep = sweep;
    sweep.subscribe().with(report -> {}, e -> LOG.error("sweep failed unexpectedly", e));
  }

  /**
   * Stops both loops, lets a running sweep end at its next batch boundary, then releases the lease
   * so that another replica takes over at its next try instead of after the lease expires.
   */
  public Uni<Void> stop() {
    synchronized (this) {
      stopping = true;
      vertx.cancelTimer(leaseTimer);
      vertx.cancelTimer(sweepTimer);
    }
    lease.relinquish();
    return Uni.join()
        .all(
            lastSweep.onFailure().recoverWithNull().replaceWithVoid(),
            lastTick.onFailure().recoverWithNull())
        .andCollectFailures()
        .chain(lease::release);
  }
}
