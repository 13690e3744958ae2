package dev.quma.core.insight;

import java.util.Locale;

/**
 * How a proxy's last stream ended, and when (epoch ms): it {@link Kind#LEFT left} (closed its
 * stream) or was {@link Kind#LOST lost} (the stream broke: a crash, a network cut, a replica that
 * died), and later perhaps declared {@link Kind#OFFLINE Offline} by the lifecycle worker. Stored
 * per mesh in the {@code departures} hash until the proxy connects again.
 */
public record Departure(Kind kind, long sinceMillis) {

  public enum Kind {
    /** The proxy closed its stream: it meant to go, its endpoints go at once. */
    LEFT,
    /** The stream broke without a close: its endpoints stay for a grace period. */
    LOST,
    /** Not heard from for the idle timeout (the lifecycle worker's mark): gone, never held. */
    OFFLINE;

    /** The word stored in Redis. */
    public String stored() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the scripts store: {@code left:MS} or {@code lost:MS}. */
  public String stored() {
    return kind.stored() + ":" + sinceMillis;
  }

  /** Reads a stored value; null for none or one this version does not know. */
  public static Departure parse(String stored) {
    if (stored == null) {
      return null;
    }
    int colon = stored.indexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      Kind kind = Kind.valueOf(stored.substring(0, colon).toUpperCase(Locale.ROOT));
      return new Departure(kind, Long.parseLong(stored.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
