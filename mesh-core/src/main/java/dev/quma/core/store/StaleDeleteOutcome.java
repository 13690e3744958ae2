package dev.quma.core.store;

/** What {@link StaleDataplanes#deleteIfStale} did with one dataplane. */
public enum StaleDeleteOutcome {
  /** Deleted, with a change event. */
  DELETED,
  /** It has an open subscription again: kept. */
  ONLINE,
  /** A heartbeat came after the cutoff (it reconnected and left again): kept. */
  SEEN_RECENTLY,
  /** It has no heartbeat at all (recreated, never connected): kept. */
  NEVER_CONNECTED,
  /** Its version moved since the sweeper read it (updated, re-registered): kept. */
  CHANGED,
  /** Already gone. */
  NOT_FOUND,
  /** A newer lease holder already swept this mesh: nothing was written. */
  FENCED
}
