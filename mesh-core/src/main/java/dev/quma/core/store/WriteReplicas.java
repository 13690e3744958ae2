package dev.quma.core.store;

import java.time.Duration;

/**
 * How many replicas must have a resource write before it is answered ({@code WAIT}): Redis
 * replicates asynchronously, so a write its master acknowledged can be lost when that master dies
 * before a replica got it and the replica is promoted. Zero answers once the master has it.
 *
 * @param replicas replicas that must confirm each write (0: none, no WAIT)
 * @param timeout how long a write waits for them; short of them by then, it fails as unavailable
 *     (it was applied on the master, and stays unless that master fails)
 */
public record WriteReplicas(int replicas, Duration timeout) {
  public static final WriteReplicas NONE = new WriteReplicas(0, Duration.ofSeconds(1));

  public WriteReplicas {
    if (replicas < 0) {
      throw new IllegalArgumentException("quma.store.write-replicas must be 0 or more");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      // WAIT's 0 means "for ever": a write never waits without end.
      throw new IllegalArgumentException("quma.store.write-replicas-timeout must be positive");
    }
  }

  public boolean waits() {
    return replicas > 0;
  }
}
