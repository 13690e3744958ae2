package dev.quma.xds.mads;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Long polling: calls back once the assignments' version differs from the one a client holds, or
 * with null when the wait is over first. Checked every refresh interval on a Vert.x timer (cheap:
 * the cache recomputes only when the views moved); nothing blocks a thread while clients wait.
 */
public final class AssignmentWaits {
  private final Vertx vertx;
  private final AssignmentCache cache;
  private final long refreshMillis;

  public AssignmentWaits(Vertx vertx, AssignmentCache cache, Duration refreshInterval) {
    this.vertx = vertx;
    this.cache = cache;
    this.refreshMillis = Math.max(10, refreshInterval.toMillis());
  }

  /** A wait in progress; {@link #cancel} when the client went away. */
  public interface Wait {
    void cancel();
  }

  public Wait changedFrom(
      String version, Duration timeout, Consumer<AssignmentCache.Current> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long timer =
        vertx.setPeriodic(
            refreshMillis,
            id -> {
              AssignmentCache.Current current = cache.current();
              if (!current.version().equals(version)) {
                vertx.cancelTimer(id);
                done.accept(current);
              } else if (System.nanoTime() - deadline >= 0) {
                vertx.cancelTimer(id);
                done.accept(null);
              }
            });
    return () -> vertx.cancelTimer(timer);
  }

  /** Every refresh interval until cancelled: the assignments as they are then. */
  public Wait every(Consumer<AssignmentCache.Current> tick) {
    long timer = vertx.setPeriodic(refreshMillis, id -> tick.accept(cache.current()));
    return () -> vertx.cancelTimer(timer);
  }
}
