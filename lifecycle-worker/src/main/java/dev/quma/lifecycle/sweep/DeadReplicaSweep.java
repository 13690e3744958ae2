package dev.quma.lifecycle.sweep;

import dev.quma.core.insight.Heartbeats;
import dev.quma.core.insight.Heartbeats.DeadClose;
import dev.quma.core.lease.Fence;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Closes the subscriptions that crashed xDS replicas left open in one mesh. A live replica renews
 * the heartbeat of every proxy it serves, so an online dataplane not heard from since the cutoff
 * (now minus {@code quma.lifecycle.stale-heartbeat}) is served by no live replica, or by one that
 * is failing: each is checked against the mesh's replicas hash, and the subscriptions of replicas
 * that are not live are closed (the proxy has departed, lost). Those with a live subscription are
 * stepped over, and left to the Offline sweep.
 */
final class DeadReplicaSweep {
  private static final Logger LOG = Logger.getLogger(DeadReplicaSweep.class);

  private final Heartbeats heartbeats;
  private final int batchSize;

  DeadReplicaSweep(Heartbeats heartbeats, int batchSize) {
    this.heartbeats = heartbeats;
    this.batchSize = batchSize;
  }

  Uni<Void> sweep(
      String mesh,
      Instant cutoff,
      Instant now,
      Supplier<Optional<Fence>> permit,
      SweepTally tally) {
    AtomicLong skipped = new AtomicLong();
    AtomicLong closed = new AtomicLong();
    return heartbeats
        .replicasKnown(mesh)
        .flatMap(
            known ->
                known
                    ? batches(mesh, cutoff, now, permit, tally, skipped, closed)
                    : Uni.createFrom().voidItem());
  }

  private Uni<Void> batches(
      String mesh,
      Instant cutoff,
      Instant now,
      Supplier<Optional<Fence>> permit,
      SweepTally tally,
      AtomicLong skipped,
      AtomicLong closed) {
    return BatchLoop.whileMore(() -> batch(mesh, cutoff, now, permit, tally, skipped, closed))
        .invoke(
            () -> {
              if (closed.get() > 0) {
                LOG.infof(
                    "mesh %s: closed the subscriptions of %d proxies left open by xDS replicas"
                        + " that are gone",
                    mesh, closed.get());
              }
            });
  }

  /** One batch; true when there may be more. Live ones stay in the range and are skipped. */
  private Uni<Boolean> batch(
      String mesh,
      Instant cutoff,
      Instant now,
      Supplier<Optional<Fence>> permit,
      SweepTally tally,
      AtomicLong skipped,
      AtomicLong closed) {
    Optional<Fence> fence = permit.get();
    if (fence.isEmpty()) {
      return Uni.createFrom().item(false);
    }
    return heartbeats
        .onlineButSilentSince(mesh, cutoff, skipped.get(), batchSize)
        .flatMap(
            names -> {
              if (names.isEmpty()) {
                return Uni.createFrom().item(false);
              }
              return heartbeats
                  .closeDead(mesh, names, now, fence.get())
                  .map(
                      (List<DeadClose> outcomes) -> {
                        tally.deadReplicaBatch(mesh, outcomes);
                        skipped.addAndGet(
                            outcomes.stream().filter(o -> o == DeadClose.LIVE).count());
                        closed.addAndGet(
                            outcomes.stream().filter(o -> o == DeadClose.CLOSED).count());
                        return names.size() == batchSize && !tally.stopped();
                      });
            });
  }
}
