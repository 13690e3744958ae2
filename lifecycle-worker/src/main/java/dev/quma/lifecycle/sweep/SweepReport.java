package dev.quma.lifecycle.sweep;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What one sweep did.
 *
 * @param number the sweep's sequence number in this process
 * @param leaseToken the lease token it swept under (0 if it did not hold the lease)
 * @param startedAt when it began (the "now" it judged heartbeats against)
 * @param finishedAt when it ended
 * @param meshes meshes visited
 * @param markedOffline dataplanes marked Offline after the idle timeout
 * @param deleted dataplanes deleted after the cleanup age
 * @param kept dataplanes past the cleanup age that were kept, by reason
 * @param batches batches of dataplanes handled (each one range query plus one pipelined write)
 * @param outcome whether it ran to the end
 * @param detail why it stopped early, or the error
 */
public record SweepReport(
    long number,
    long leaseToken,
    Instant startedAt,
    Instant finishedAt,
    int meshes,
    long markedOffline,
    long deleted,
    Map<KeptReason, Long> kept,
    long batches,
    Outcome outcome,
    String detail) {

  public enum Outcome {
    /** Every mesh was swept. */
    COMPLETED,
    /** Stopped between two batches: the lease was lost or a newer sweeper fenced it out. */
    INTERRUPTED,
    /** Redis failed; the next sweep starts over (every step is safe to repeat). */
    FAILED
  }

  public SweepReport {
    kept = Map.copyOf(kept);
  }

  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  public long keptTotal() {
    return kept.values().stream().mapToLong(Long::longValue).sum();
  }

  public long kept(KeptReason reason) {
    return kept.getOrDefault(reason, 0L);
  }
}
