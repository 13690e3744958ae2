package dev.quma.xds.snapshot;

import java.time.Duration;

/**
 * How consumers' endpoint pushes are paced while proxies arrive in a storm (a fleet joining, or
 * reconnecting after a replica died): each arrival is a new endpoint of its service's consumers,
 * and pushing each one at once costs every consumer dozens of pushes during a join.
 *
 * <p>Below {@code threshold} arrivals per second nothing waits. Above it, what arrivals change for
 * a consumer gathers for a delay that grows with the rate ({@code delay} at the threshold, in
 * proportion above it), at most {@code maxDelay}; when the rate falls below the threshold again,
 * everything gathered goes at once. Changes that are not arrivals (an address, a departure, a
 * probe) are pushed at once, and take what had gathered for that consumer with them.
 *
 * @param threshold arrivals per second (over the last second, on this replica) from which pushes
 *     gather
 * @param delay how long they gather at the threshold's rate
 * @param maxDelay the bound of the delay, however fast proxies arrive
 * @param holdUntilAnswered whether a proxy that has not yet answered (ACK or NACK) its first
 *     endpoints is spared intermediate endpoint sets: it gets the latest when it answers
 */
public record PushPacing(
    int threshold, Duration delay, Duration maxDelay, boolean holdUntilAnswered) {

  /** Every change pushed at once, answered or not (unit tests of the snapshots alone). */
  public static final PushPacing OFF =
      new PushPacing(Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, false);

  public PushPacing {
    if (threshold < 1) {
      throw new IllegalArgumentException("the join storm threshold must be at least 1 per second");
    }
    if (delay.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException("join storm delays must not be negative");
    }
  }

  /** How long arrivals' pushes gather at {@code arrivalsPerSecond}: 0 below the threshold. */
  public long delayMillis(int arrivalsPerSecond) {
    if (arrivalsPerSecond < threshold) {
      return 0;
    }
    double grown = delay.toMillis() * ((double) arrivalsPerSecond / threshold);
    return (long) Math.min(grown, maxDelay.toMillis());
  }
}
