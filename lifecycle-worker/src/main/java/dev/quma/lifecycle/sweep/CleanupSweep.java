package dev.quma.lifecycle.sweep;

import dev.quma.core.insight.Heartbeats;
import dev.quma.core.lease.Fence;
import dev.quma.core.model.Labels;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StaleDataplane;
import dev.quma.core.store.StaleDataplanes;
import dev.quma.core.store.StaleDeleteOutcome;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Deletes the dataplanes of one mesh last heard from before the cutoff (now minus the cleanup age)
 * that are still offline and unchanged since read. Each batch is one range query on the last-seen
 * set, one pipelined read of the records (for their version and lifecycle label) and one pipelined
 * round of conditional deletes through the store, which append the change events. Deleted ones
 * leave the set; the kept ones are stepped over by offset.
 */
final class CleanupSweep {
  private final ResourceStore store;
  private final StaleDataplanes stale;
  private final Heartbeats heartbeats;
  private final int batchSize;
  private final boolean cleanupIndirect;

  CleanupSweep(ResourceStore store, Heartbeats heartbeats, int batchSize, boolean cleanupIndirect) {
    this.store = store;
    this.stale = new StaleDataplanes(store);
    this.heartbeats = heartbeats;
    this.batchSize = batchSize;
    this.cleanupIndirect = cleanupIndirect;
  }

  Uni<Void> sweep(String mesh, Instant cutoff, Supplier<Optional<Fence>> permit, SweepTally tally) {
    AtomicLong keptSoFar = new AtomicLong(); // entries before this offset stay in the set
    return BatchLoop.whileMore(() -> batch(mesh, cutoff, permit, tally, keptSoFar));
  }

  private Uni<Boolean> batch(
      String mesh,
      Instant cutoff,
      Supplier<Optional<Fence>> permit,
      SweepTally tally,
      AtomicLong keptSoFar) {
    Optional<Fence> fence = permit.get();
    if (fence.isEmpty()) {
      return Uni.createFrom().item(false);
    }
    return heartbeats
        .lastSeenBefore(mesh, cutoff, keptSoFar.get(), batchSize)
        .flatMap(
            names -> {
              if (names.isEmpty()) {
                return Uni.createFrom().item(false);
              }
              return store
                  .getAll(ResourceType.DATAPLANE, mesh, names)
                  .flatMap(
                      found -> {
                        List<StaleDataplane> candidates = new ArrayList<>(found.size());
                        for (Resource<?> dataplane : found) {
                          if (cleanupIndirect || Labels.isDirect(dataplane)) {
                            candidates.add(
                                new StaleDataplane(dataplane.name(), dataplane.version()));
                          }
                        }
                        int indirectKept = found.size() - candidates.size();
                        return stale
                            .deleteIfStale(mesh, candidates, cutoff, fence.get())
                            .map(
                                outcomes -> {
                                  tally.cleanupBatch(mesh, outcomes, indirectKept);
                                  long deleted =
                                      outcomes.stream()
                                          .filter(o -> o == StaleDeleteOutcome.DELETED)
                                          .count();
                                  keptSoFar.addAndGet(names.size() - deleted);
                                  return names.size() == batchSize && !tally.stopped();
                                });
                      });
            });
  }
}
