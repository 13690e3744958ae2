package dev.quma.core.insight;

/** What {@link Heartbeats#markOffline} did with one dataplane. */
public enum OfflineMark {
  /** Its open subscriptions were closed and it left the online set. */
  MARKED_OFFLINE,
  /** A heartbeat came after the cutoff: it is alive, left untouched. */
  HEARD_FROM,
  /** It was no longer in the online set (disconnected or deleted meanwhile). */
  NOT_ONLINE,
  /** A newer lease holder already swept this mesh: nothing was written. */
  FENCED
}
