package dev.quma.core.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the shared Redis store, the same in every service. */
@ConfigMapping(prefix = "quma.store")
public interface StoreConfig {
  /** Prefix of every Redis key: lets several control planes, or test runs, share one Redis. */
  @WithDefault("quma")
  String keyPrefix();

  /** Approximate number of entries each change stream keeps before trimming the oldest. */
  @WithDefault("100000")
  long streamMaxLength();
}
