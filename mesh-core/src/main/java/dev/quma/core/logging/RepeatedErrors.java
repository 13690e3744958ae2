package dev.quma.core.logging;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides how much of a recurring error reaches the log: the first occurrence of a cause in full,
 * then at most one line per cause and interval saying how often it recurred, so that a client
 * repeating a failing request cannot fill the disk with stack traces. Remembers a bounded number of
 * causes (the oldest is forgotten first).
 */
public final class RepeatedErrors {
  /** What to log for one occurrence. */
  public enum Verdict {
    /** The first time: log it whole, stack trace included. */
    FIRST,
    /** A repeat, and the interval has passed since the last line: one line with the count. */
    SUMMARY,
    /** A repeat within the interval: counted, not logged. */
    SILENT
  }

  /** The verdict, the id of the first occurrence and the repeats since the last line. */
  public record Occurrence(Verdict verdict, String firstId, long repeats) {}

  private static final int MAX_CAUSES = 1024;

  private final Duration interval;
  private final Clock clock;
  private final Map<String, State> causes =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
          return size() > MAX_CAUSES;
        }
      };

  private static final class State {
    final String firstId;
    long lastLineMillis;
    long repeats;

    State(String firstId, long now) {
      this.firstId = firstId;
      this.lastLineMillis = now;
    }
  }

  public RepeatedErrors(Duration interval, Clock clock) {
    this.interval = interval;
    this.clock = clock;
  }

  public RepeatedErrors(Duration interval) {
    this(interval, Clock.systemUTC());
  }

  /** Records one occurrence of {@code cause} (with the id it was given) and says what to log. */
  public synchronized Occurrence occurred(String cause, String id) {
    long now = clock.millis();
    State state = causes.get(cause);
    if (state == null) {
      causes.put(cause, new State(id, now));
      return new Occurrence(Verdict.FIRST, id, 0);
    }
    state.repeats++;
    if (now - state.lastLineMillis < interval.toMillis()) {
      return new Occurrence(Verdict.SILENT, state.firstId, state.repeats);
    }
    long repeats = state.repeats;
    state.repeats = 0;
    state.lastLineMillis = now;
    return new Occurrence(Verdict.SUMMARY, state.firstId, repeats);
  }

  /** A cause's identity: its class and where it was thrown, not its message (which varies). */
  public static String causeOf(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StackTraceElement[] frames = root.getStackTrace();
    return root.getClass().getName() + (frames.length == 0 ? "" : "@" + frames[0]);
  }
}
