package dev.quma.core.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the control plane resolves domain names in dataplane addresses. */
@ConfigMapping(prefix = "quma.dns")
public interface DnsConfig {
  /** How often every name in use is looked up again. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("30s")
  Duration refreshInterval();
}
