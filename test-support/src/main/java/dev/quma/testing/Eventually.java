package dev.quma.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for something the system does in the background: a condition polled until it holds or a
 * deadline passes. The one wait loop of the tests, so that each does not grow its own.
 */
public final class Eventually {
  private static final long POLL_MILLIS = 20;

  private Eventually() {}

  /** Whether {@code condition} holds within {@code within}; it is checked once more at the end. */
  public static boolean eventually(Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  /** Waits until {@code condition} holds; fails naming {@code what} after {@code within}. */
  public static void awaitUntil(String what, Duration within, BooleanSupplier condition) {
    if (!eventually(within, condition)) {
      throw new AssertionError("timed out after " + within + " waiting until " + what);
    }
  }
}
