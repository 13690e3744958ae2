package dev.quma.xds.health;

import java.time.Duration;

/** A health check's settings where the dataplane's {@code serviceProbe} gives none. */
public record ProbeDefaults(
    Duration timeout,
    Duration interval,
    Duration noTrafficInterval,
    int healthyThreshold,
    int unhealthyThreshold) {
  /** Kuma's {@code KUMA_DP_SERVER_HDS_CHECK_*} defaults. */
  public static final ProbeDefaults KUMA =
      new ProbeDefaults(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1);
}
