package dev.quma.lifecycle.sweep;

import dev.quma.core.store.StaleDeleteOutcome;
import java.util.Locale;
import java.util.Optional;

/** Why the cleanup kept a dataplane that was last heard from before the cleanup age. */
public enum KeptReason {
  /** It is connected again. */
  ONLINE,
  /** A heartbeat came after the cutoff (it reconnected, then left again). */
  SEEN_RECENTLY,
  /** Its version moved after the sweep read it (updated through the API, re-registered). */
  CHANGED,
  /** It has no heartbeat (deleted and created again meanwhile). */
  NEVER_CONNECTED,
  /** An Indirect (API-created) dataplane, and {@code cleanup-indirect} is off. */
  INDIRECT;

  /** The label in metrics and logs, e.g. {@code seen_recently}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Why a conditional delete kept a dataplane; empty if it was deleted or already gone. */
  static Optional<KeptReason> of(StaleDeleteOutcome outcome) {
    return switch (outcome) {
      case ONLINE -> Optional.of(ONLINE);
      case SEEN_RECENTLY -> Optional.of(SEEN_RECENTLY);
      case CHANGED -> Optional.of(CHANGED);
      case NEVER_CONNECTED -> Optional.of(NEVER_CONNECTED);
      case DELETED, NOT_FOUND, FENCED -> Optional.empty();
    };
  }
}
