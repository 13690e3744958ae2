package dev.quma.lifecycle.lease;

import dev.quma.core.lease.Fence;
import dev.quma.core.lease.Lease;
import dev.quma.core.lease.LeaseGrant;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Holds the sweeper lease or tries to take it, once per {@link #tick}: the leader renews, the
 * others try to acquire, so a dead leader's lease is taken over at most one renewal period after it
 * expires. Validity is judged on this process' monotonic clock from the moment a renewal was sent,
 * minus a margin, so the leader stops writing before Redis could give the lease to someone else.
 */
public final class LeaseKeeper implements SweepLease {
  private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

  private final Lease lease;
  private final Duration ttl;
  private final long marginNanos;
  private final LongSupplier nanoTime;
  private final CopyOnWriteArrayList<Runnable> onAcquired = new CopyOnWriteArrayList<>();
  private volatile Held held;
  private volatile boolean relinquishing;

  /** A grant and the local time until which it may be used. */
  private record Held(LeaseGrant grant, long usableUntilNanos) {}

  public LeaseKeeper(Lease lease, Duration ttl) {
    this(lease, ttl, System::nanoTime);
  }

  LeaseKeeper(Lease lease, Duration ttl, LongSupplier nanoTime) {
    this.lease = lease;
    this.ttl = ttl;
    this.marginNanos = ttl.toNanos() / 10;
    this.nanoTime = nanoTime;
  }

  /** Called (on a Redis reply thread) each time this replica takes the lease. */
  public void onAcquired(Runnable listener) {
    onAcquired.add(listener);
  }

  @Override
  public Optional<Fence> fenceWhileHeld() {
    Held current = held;
    if (current == null || relinquishing || nanoTime.getAsLong() >= current.usableUntilNanos()) {
      return Optional.empty();
    }
    return Optional.of(current.grant().fence());
  }

  public boolean isLeader() {
    return fenceWhileHeld().isPresent();
  }

  /** The token of the lease held, or 0. */
  public long token() {
    Held current = held;
    return current == null ? 0 : current.grant().token();
  }

  /** Renews the lease if held, else tries to take it. Never fails: Redis errors are logged. */
  private volatile boolean outage;

  public Uni<Void> tick() {
    if (relinquishing) {
      return Uni.createFrom().voidItem();
    }
    Held current = held;
    long sentAt = nanoTime.getAsLong();
    Uni<Void> step = current == null ? acquire(sentAt) : renew(current, sentAt);
    return step.invoke(this::answered)
        .onFailure()
        .recoverWithUni(
            e -> {
              failed(current == null ? "acquisition" : "renewal", e);
              return Uni.createFrom().voidItem();
            });
  }

  /** One line when Redis stops answering the lease, one when it answers again; not one per tick. */
  private void failed(String what, Throwable e) {
    if (!outage) {
      outage = true;
      LOG.warnf(
          "sweeper lease %s failed: %s (retried every tick; logged again once it works)",
          what, e.getMessage());
    }
  }

  private void answered() {
    if (outage) {
      outage = false;
      LOG.info("sweeper lease: Redis answers again");
    }
  }

  /** True from the first failed tick until one works again. */
  public boolean inOutage() {
    return outage;
  }

  private Uni<Void> acquire(long sentAt) {
    return lease
        .tryAcquire(ttl)
        .flatMap(
            acquired -> {
              if (acquired.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              LeaseGrant grant = acquired.get();
              if (relinquishing) { // shutting down meanwhile: hand it straight back
                return lease.release(grant).replaceWithVoid();
              }
              held = new Held(grant, usableUntil(sentAt));
              LOG.infof(
                  "this replica is now the sweeper (lease token %d, holder %s)",
                  grant.token(), lease.holder());
              onAcquired.forEach(Runnable::run);
              return Uni.createFrom().voidItem();
            });
  }

  private Uni<Void> renew(Held current, long sentAt) {
    return lease
        .renew(current.grant(), ttl)
        .map(
            renewed -> {
              if (renewed) {
                held = new Held(current.grant(), usableUntil(sentAt));
              } else if (held == current) {
                held = null;
                LOG.warnf(
                    "sweeper lease (token %d) was lost: it expired before it was renewed",
                    current.grant().token());
              }
              return null;
            });
  }

  /**
   * Stops using the lease at once (no new batch starts) and gives it up, so that another replica
   * takes it at its next try instead of waiting for it to expire. Call once the sweep in flight has
   * ended.
   */
  public Uni<Void> release() {
    relinquishing = true;
    Held current = held;
    held = null;
    if (current == null) {
      return Uni.createFrom().voidItem();
    }
    return lease
        .release(current.grant())
        .invoke(
            released ->
                LOG.infof(
                    "sweeper lease (token %d) %s",
                    current.grant().token(), released ? "released" : "had already expired"))
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.warnf("could not release the sweeper lease, it will expire: %s", e.getMessage());
              return Uni.createFrom().voidItem();
            });
  }

  @Override
  public Uni<Void> fencedOut(String mesh) {
    Held current = held;
    held = null;
    LOG.warnf(
        "sweeper lease (token %d) was fenced out in mesh %s: a newer token already wrote there;"
            + " catching the lease epoch up and letting the lease go",
        current == null ? 0 : current.grant().token(), mesh);
    return lease
        .catchUpWith(mesh)
        .flatMap(
            newest ->
                current == null
                    ? Uni.createFrom().voidItem()
                    : lease.release(current.grant()).replaceWithVoid())
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.warnf("could not catch the lease epoch up: %s", e.getMessage());
              return Uni.createFrom().voidItem();
            });
  }

  /** Stops starting new batches right away; {@link #release()} follows once the sweep ended. */
  public void relinquish() {
    relinquishing = true;
  }

  private long usableUntil(long sentAt) {
    return sentAt + ttl.toNanos() - marginNanos;
  }
}
