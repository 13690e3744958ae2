package dev.quma.xds.mads;

import dev.quma.core.runtime.GoDurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The monitoring assignment server (MADS) each xDS replica runs for Prometheus; Kuma's settings
 * ({@code KUMA_MONITORING_ASSIGNMENT_SERVER_*}) are mapped in application.properties.
 */
@ConfigMapping(prefix = "quma.mads")
public interface MadsConfig {
  /** Serve MADS at all. */
  @WithDefault("true")
  boolean enabled();

  /** HTTP and gRPC port (Kuma: 5676); 0 picks a free one. */
  @WithDefault("5676")
  int port();

  @WithDefault("0.0.0.0")
  String host();

  /** How often a waiting client's assignments are compared with the views. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("1s")
  Duration refreshInterval();

  /** How long an HTTP fetch that names no {@code fetch-timeout} waits for a change. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("30s")
  Duration defaultFetchTimeout();

  /** The longest wait a client may ask for. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("10m")
  Duration maxFetchTimeout();
}
