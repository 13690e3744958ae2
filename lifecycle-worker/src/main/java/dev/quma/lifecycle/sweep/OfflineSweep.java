package dev.quma.lifecycle.sweep;

import dev.quma.core.insight.Heartbeats;
import dev.quma.core.insight.OfflineMark;
import dev.quma.core.lease.Fence;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Marks Offline the dataplanes of one mesh that are still in the online set but were not heard from
 * since the cutoff (now minus the idle timeout). Each batch is one range query for the oldest
 * heartbeats plus one pipelined round of atomic marks; marked ones leave the set, so the next batch
 * starts from the front again, and a rerun after a stop finds exactly what is left.
 */
final class OfflineSweep {
  private final Heartbeats heartbeats;
  private final int batchSize;

  OfflineSweep(Heartbeats heartbeats, int batchSize) {
    this.heartbeats = heartbeats;
    this.batchSize = batchSize;
  }

  Uni<Void> sweep(
      String mesh,
      Instant cutoff,
      Instant now,
      Supplier<Optional<Fence>> permit,
      SweepTally tally) {
    return BatchLoop.whileMore(() -> batch(mesh, cutoff, now, permit, tally));
  }

  /** One batch; true when there may be more. */
  private Uni<Boolean> batch(
      String mesh,
      Instant cutoff,
      Instant now,
      Supplier<Optional<Fence>> permit,
      SweepTally tally) {
    Optional<Fence> fence = permit.get();
    if (fence.isEmpty()) {
      return Uni.createFrom().item(false);
    }
    return heartbeats
        .onlineButSilentSince(mesh, cutoff, batchSize)
        .flatMap(
            names -> {
              if (names.isEmpty()) {
                return Uni.createFrom().item(false);
              }
              return heartbeats
                  .markOffline(mesh, names, cutoff, now, fence.get())
                  .map(
                      (List<OfflineMark> marks) -> {
                        tally.offlineBatch(mesh, marks);
                        return names.size() == batchSize && !tally.stopped();
                      });
            });
  }
}
