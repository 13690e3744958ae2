package dev.quma.core.stats;

import java.time.Duration;

/**
 * What one reconcile of a mesh's counters found and did.
 *
 * @param walked dataplanes visited
 * @param corrected dataplanes whose own contribution had drifted and was recomputed
 * @param drift counter fields that differed from the rebuilt ones (and were replaced), when {@code
 *     outcome} is REPLACED
 */
public record ReconcileReport(
    String mesh, long walked, long corrected, Outcome outcome, long drift, Duration took) {

  public enum Outcome {
    /** The live counters were right. */
    SAME,
    /** The live counters differed and were replaced by the rebuilt ones. */
    REPLACED,
    /** Something else changed the counters meanwhile: they were left for the next reconcile. */
    BUSY
  }
}
