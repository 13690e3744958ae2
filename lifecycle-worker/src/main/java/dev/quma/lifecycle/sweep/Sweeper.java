package dev.quma.lifecycle.sweep;

import dev.quma.core.insight.Heartbeats;
import dev.quma.core.lease.Fence;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.lifecycle.config.LifecycleSettings;
import dev.quma.lifecycle.lease.SweepLease;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One sweep over every mesh: first the Offline marks (idle timeout), then the cleanup (cleanup
 * age), mesh by mesh, in bounded batches. Before each batch it asks the lease whether it may still
 * write; a lost lease stops the sweep between two batches, and every step is conditional, so a
 * sweep stopped anywhere is finished by the next one. Never fails: errors end up in the report.
 */
public final class Sweeper {
  private static final Logger LOG = Logger.getLogger(Sweeper.class);

  private final ResourceQueries queries;
  private final SweepLease lease;
  private final Clock clock;
  private final LifecycleSettings settings;
  private final OfflineSweep offline;
  private final DeadReplicaSweep deadReplicas;
  private final CleanupSweep cleanup;
  private final AtomicLong sweeps = new AtomicLong();
  private final List<Consumer<SweepReport>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicReference<SweepReport> last = new AtomicReference<>();

  public Sweeper(
      ResourceStore store,
      Heartbeats heartbeats,
      SweepLease lease,
      Clock clock,
      LifecycleSettings settings) {
    this.queries = new ResourceQueries(store);
    this.lease = lease;
    this.clock = clock;
    this.settings = settings;
    this.offline = new OfflineSweep(heartbeats, settings.batchSize());
    this.deadReplicas = new DeadReplicaSweep(heartbeats, settings.batchSize());
    this.cleanup =
        new CleanupSweep(store, heartbeats, settings.batchSize(), settings.cleanupIndirect());
  }

  /** Told about every sweep once it ended (metrics, the log line). */
  public void onSweep(Consumer<SweepReport> listener) {
    listeners.add(listener);
  }

  /** The report of the last sweep that ended, if any. */
  public Optional<SweepReport> lastReport() {
    return Optional.ofNullable(last.get());
  }

  public Uni<SweepReport> sweep() {
    long number = sweeps.incrementAndGet();
    Instant now = clock.instant();
    SweepTally tally = new SweepTally();
    Optional<Fence> fence = lease.fenceWhileHeld();
    if (fence.isEmpty()) {
      tally.stop("this replica does not hold the sweeper lease");
      return Uni.createFrom().item(publish(tally.report(number, 0, now, clock.instant())));
    }
    long token = fence.get().token();
    Instant idleCutoff = now.minus(settings.idleTimeout());
    Instant staleCutoff = now.minus(settings.staleHeartbeat());
    Instant cleanupCutoff = now.minus(settings.cleanupAge());
    return queries
        .meshNames()
        .onItem()
        .transformToMulti(meshes -> Multi.createFrom().iterable(meshes))
        .onItem()
        .transformToUniAndConcatenate(
            mesh -> {
              if (tally.stopped()) {
                return Uni.createFrom().voidItem();
              }
              tally.meshVisited();
              return deadReplicas
                  .sweep(mesh, staleCutoff, now, () -> permit(tally), tally)
                  .chain(() -> offline.sweep(mesh, idleCutoff, now, () -> permit(tally), tally))
                  .chain(() -> cleanup.sweep(mesh, cleanupCutoff, () -> permit(tally), tally));
            })
        .collect()
        .last()
        .call(
            done -> tally.fencedInMesh().map(lease::fencedOut).orElse(Uni.createFrom().voidItem()))
        .map(done -> tally.report(number, token, now, clock.instant()))
        .onFailure()
        .recoverWithItem(e -> tally.failed(number, token, now, clock.instant(), e))
        .map(this::publish);
  }

  /** The fence for the next batch, or empty (and the sweep stops) once the lease is not held. */
  private Optional<Fence> permit(SweepTally tally) {
    if (tally.stopped()) {
      return Optional.empty();
    }
    Optional<Fence> fence = lease.fenceWhileHeld();
    if (fence.isEmpty()) {
      tally.stop("the sweeper lease was lost");
    }
    return fence;
  }

  private SweepReport publish(SweepReport report) {
    last.set(report);
    for (Consumer<SweepReport> listener : listeners) {
      try {
        listener.accept(report);
      } catch (RuntimeException e) {
        LOG.errorf(e, "a sweep listener failed on sweep %d", report.number());
      }
    }
    return report;
  }
}
