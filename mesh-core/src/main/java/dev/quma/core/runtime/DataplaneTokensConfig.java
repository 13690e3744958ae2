package dev.quma.core.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How every service that verifies dataplane tokens does it. */
@ConfigMapping(prefix = "quma.dataplane-tokens")
public interface DataplaneTokensConfig {
  /** Tolerated clock difference for {@code exp}, {@code nbf} and {@code iat}. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("30s")
  Duration clockSkew();

  /**
   * How stale cached signing keys and revocations may be: a revocation or key removal made by
   * another replica takes effect within this time.
   */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("1s")
  Duration cacheRefreshInterval();
}
