package dev.quma.lifecycle.testing;

import dev.quma.core.lease.Fence;
import dev.quma.lifecycle.lease.SweepLease;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lease held with a given token for a given number of batches (then "lost"), for sweeps driven by
 * hand. The real lease, with Redis and timers, is exercised by the two-worker tests.
 */
public final class TestLease implements SweepLease {
  private final long token;
  private final AtomicInteger permits;
  private final List<String> fencedOutIn = new CopyOnWriteArrayList<>();

  private TestLease(long token, int permits) {
    this.token = token;
    this.permits = new AtomicInteger(permits);
  }

  public static TestLease held(long token) {
    return new TestLease(token, Integer.MAX_VALUE);
  }

  /** Lost after {@code batches} permits (the sweep asks once per batch, and once at its start). */
  public static TestLease lostAfter(long token, int batches) {
    return new TestLease(token, batches);
  }

  @Override
  public Optional<Fence> fenceWhileHeld() {
    return permits.getAndDecrement() > 0
        ? Optional.of(new Fence("lifecycle-sweeper", token))
        : Optional.empty();
  }

  @Override
  public Uni<Void> fencedOut(String mesh) {
    fencedOutIn.add(mesh);
    return Uni.createFrom().voidItem();
  }

  public List<String> fencedOutIn() {
    return fencedOutIn;
  }
}
