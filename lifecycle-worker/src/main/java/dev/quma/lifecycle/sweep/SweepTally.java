package dev.quma.lifecycle.sweep;

import dev.quma.core.insight.Heartbeats;
import dev.quma.core.insight.OfflineMark;
import dev.quma.core.store.StaleDeleteOutcome;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running counts of one sweep. Its steps run one after the other, possibly on different
 * threads; the methods are synchronized for visibility between them, never contended.
 */
final class SweepTally {
  private int meshes;
  private long markedOffline;
  private long deleted;
  private long batches;
  private final Map<KeptReason, Long> kept = new EnumMap<>(KeptReason.class);
  private String stopReason;
  private String fencedInMesh;

  synchronized void meshVisited() {
    meshes++;
  }

  synchronized void offlineBatch(String mesh, List<OfflineMark> marks) {
    batches++;
    markedOffline += marks.stream().filter(m -> m == OfflineMark.MARKED_OFFLINE).count();
    if (marks.contains(OfflineMark.FENCED)) {
      fencedIn(mesh);
    }
  }

  synchronized void deadReplicaBatch(String mesh, List<Heartbeats.DeadClose> outcomes) {
    batches++;
    if (outcomes.contains(Heartbeats.DeadClose.FENCED)) {
      fencedIn(mesh);
    }
  }

  synchronized void cleanupBatch(String mesh, List<StaleDeleteOutcome> outcomes, int indirectKept) {
    batches++;
    keep(KeptReason.INDIRECT, indirectKept);
    for (StaleDeleteOutcome outcome : outcomes) {
      if (outcome == StaleDeleteOutcome.DELETED) {
        deleted++;
      }
      KeptReason.of(outcome).ifPresent(reason -> keep(reason, 1));
    }
    if (outcomes.contains(StaleDeleteOutcome.FENCED)) {
      fencedIn(mesh);
    }
  }

  private void fencedIn(String mesh) {
    fencedInMesh = mesh;
    stop("fenced out in mesh " + mesh + ": a newer lease token already swept it");
  }

  /** The mesh where a write was refused for an older lease token, if any. */
  synchronized Optional<String> fencedInMesh() {
    return Optional.ofNullable(fencedInMesh);
  }

  synchronized void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  synchronized boolean stopped() {
    return stopReason != null;
  }

  synchronized SweepReport report(long number, long token, Instant started, Instant finished) {
    return new SweepReport(
        number,
        token,
        started,
        finished,
        meshes,
        markedOffline,
        deleted,
        kept,
        batches,
        stopped() ? SweepReport.Outcome.INTERRUPTED : SweepReport.Outcome.COMPLETED,
        stopReason);
  }

  synchronized SweepReport failed(
      long number, long token, Instant started, Instant finished, Throwable error) {
    return new SweepReport(
        number,
        token,
        started,
        finished,
        meshes,
        markedOffline,
        deleted,
        kept,
        batches,
        SweepReport.Outcome.FAILED,
        String.valueOf(error.getMessage()));
  }

  private void keep(KeptReason reason, long count) {
    if (count > 0) {
      kept.merge(reason, count, Long::sum);
    }
  }
}
