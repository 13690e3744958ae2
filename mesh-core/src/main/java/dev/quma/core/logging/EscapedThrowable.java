package dev.quma.core.logging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A stand-in for a logged exception whose message (or a cause's) holds control characters: the same
 * class name, frames and causes, the messages escaped. Only ever handed to a log formatter.
 */
final class EscapedThrowable extends Throwable {
  private final String description;

  private EscapedThrowable(Throwable original, Throwable escapedCause) {
    super(LogText.escape(original.getMessage()), escapedCause, false, true);
    String message = getMessage();
    this.description = original.getClass().getName() + (message == null ? "" : ": " + message);
    setStackTrace(original.getStackTrace());
  }

  static Throwable of(Throwable original) {
    List<Throwable> chain = chain(original);
    Throwable escaped = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      escaped = new EscapedThrowable(chain.get(i), escaped);
    }
    return escaped;
  }

  static boolean needed(Throwable thrown) {
    return chain(thrown).stream()
        .anyMatch(t -> t.getMessage() != null && LogText.needsEscaping(t.getMessage()));
  }

  /** The exception and its causes, each once (a cause chain may loop). */
  private static List<Throwable> chain(Throwable thrown) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  @Override
  public String toString() {
    return description;
  }
}
