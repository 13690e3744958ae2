package dev.quma.xds.mesh;

import java.time.Duration;

/**
 * How the connection of a proxy decides whether its inbounds are endpoints: a proxy that left is
 * dropped at once; one whose stream broke stays for {@code grace} (time to reconnect, to this
 * replica or another, without a flap), then is dropped, unless that would take more than {@code
 * panicThresholdPercent} of its service's endpoints: then all of them are kept (a panic guard, as
 * Envoy's: a mass disconnect is more likely the network's or the control plane's fault than every
 * proxy's).
 *
 * <p>Service probes decide too, and are never held: an inbound whose probe fails, or of a proxy
 * whose readiness check fails, is not an endpoint, and one with a {@code serviceProbe} is not until
 * its probe first passes ({@link dev.quma.core.insight.ProbeHealth#allows}).
 *
 * @param grace how long a broken stream keeps its endpoints
 * @param panicThresholdPercent 0 to 100; 100 turns the guard off
 * @param serviceProbes whether probe results count (HDS on); when off, {@code serviceProbe} is
 *     ignored
 */
public record EndpointHealth(Duration grace, int panicThresholdPercent, boolean serviceProbes) {
  public static final EndpointHealth DEFAULTS = new EndpointHealth(Duration.ofSeconds(30), 50);

  public EndpointHealth(Duration grace, int panicThresholdPercent) {
    this(grace, panicThresholdPercent, true);
  }

  public EndpointHealth {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("quma.xds.connection-grace must not be negative");
    }
    if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
      throw new IllegalArgumentException(
          "quma.xds.connection-panic-threshold is a percentage, 0 to 100");
    }
  }

  /**
   * Whether losing {@code lost} of {@code total} endpoints at once is more than the guard lets go.
   */
  boolean panics(int lost, int total) {
    return lost > 0
        && panicThresholdPercent < 100
        && lost * 100L > (long) panicThresholdPercent * total;
  }
}
