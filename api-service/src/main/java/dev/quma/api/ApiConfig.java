package dev.quma.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the HTTP API; see the configuration table in the README. */
@ConfigMapping(prefix = "quma.api")
public interface ApiConfig {
  /** Largest {@code size} a list request may ask for. */
  @WithDefault("1000")
  int maxPageSize();

  /** How long the initial admin token is valid. */
  @WithDefault("87600h")
  Duration adminTokenValidFor();
}
