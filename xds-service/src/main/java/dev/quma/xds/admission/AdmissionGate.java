package dev.quma.xds.admission;

import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * Bounds how many admissions talk to Redis at once. When a whole fleet reconnects together (a
 * replica restarted, a network came back), the rest wait here, in order, instead of overflowing the
 * Redis client's queue and being refused.
 */
public final class AdmissionGate {
  private final int limit;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int running;

  public AdmissionGate(int limit) {
    this.limit = limit;
  }

  public <T> Uni<T> submit(Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Runnable start =
                  () ->
                      work.get()
                          .subscribe()
                          .with(
                              item -> {
                                release();
                                emitter.complete(item);
                              },
                              failure -> {
                                release();
                                emitter.fail(failure);
                              });
              boolean now;
              synchronized (this) {
                now = running < limit;
                if (now) {
                  running++;
                } else {
                  waiting.add(start);
                }
              }
              if (now) {
                start.run();
              }
            });
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      next.run();
    }
  }

  public synchronized int waiting() {
    return waiting.size();
  }
}
