package dev.quma.core.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the shared Redis store, the same in every service. */
@ConfigMapping(prefix = "quma.store")
public interface StoreConfig {
  /** Prefix of every Redis key: lets several control planes, or test runs, share one Redis. */
  @WithDefault("quma")
  String keyPrefix();

  /** Approximate number of entries each change stream keeps before trimming the oldest. */
  @WithDefault("100000")
  long streamMaxLength();

  /**
   * How often every service checks that Redis answers and is still the store it started with (its
   * id): a wiped store is noticed, and recovered from, within this time.
   */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("1s")
  Duration identityCheckInterval();

  /** The {@code Retry-After} of a 503 answered while the store is unavailable (whole seconds). */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("1s")
  Duration unavailableRetryAfter();
}
