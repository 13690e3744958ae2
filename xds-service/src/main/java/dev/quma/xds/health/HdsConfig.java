package dev.quma.xds.health;

import dev.quma.core.runtime.GoDurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the Health Discovery Service, with Kuma's names and defaults ({@code
 * KUMA_DP_SERVER_HDS_*}, mapped in application.properties).
 */
@ConfigMapping(prefix = "quma.xds.hds")
public interface HdsConfig {
  /**
   * Whether proxies are asked to run service probes; when off, {@code serviceProbe} is ignored and
   * every inbound follows its stored health alone.
   */
  @WithDefault("true")
  boolean enabled();

  /** How often Envoy reports the health it found ({@code HealthCheckSpecifier.interval}). */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("5s")
  Duration interval();

  /** How often a stream looks for a changed dataplane, to send a new specifier. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("10s")
  Duration refreshInterval();

  /** The checks' settings where a {@code serviceProbe} gives none, and the readiness check's. */
  CheckDefaults checkDefaults();

  interface CheckDefaults {
    @WithConverter(GoDurationConverter.class)
    @WithDefault("2s")
    Duration timeout();

    @WithConverter(GoDurationConverter.class)
    @WithDefault("1s")
    Duration interval();

    @WithConverter(GoDurationConverter.class)
    @WithDefault("1s")
    Duration noTrafficInterval();

    @WithDefault("1")
    int healthyThreshold();

    @WithDefault("1")
    int unhealthyThreshold();

    default ProbeDefaults probeDefaults() {
      return new ProbeDefaults(
          timeout(), interval(), noTrafficInterval(), healthyThreshold(), unhealthyThreshold());
    }
  }
}
