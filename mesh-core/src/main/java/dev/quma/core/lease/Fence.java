package dev.quma.core.lease;

import java.time.Duration;

/**
 * A writer's fencing token: the token of the lease it holds. Scripts that accept a fence keep the
 * newest token of that lease they saw per mesh and refuse writes carrying an older one, so a writer
 * that lost its lease (a long pause, a partition) cannot write after its successor started.
 *
 * @param lease the lease's name
 * @param token the token of the holder's acquisition
 */
public record Fence(String lease, long token) {
  /**
   * How long a mesh remembers the newest token after it last changed: far longer than any lease, so
   * only a writer paused for a day could slip past; it leaves no key behind a deleted mesh.
   */
  public static final Duration MEMORY = Duration.ofHours(24);

  public Fence {
    if (token < 1) {
      throw new IllegalArgumentException("a fencing token is positive, got " + token);
    }
  }
}
