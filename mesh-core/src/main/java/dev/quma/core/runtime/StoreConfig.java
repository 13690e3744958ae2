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

  /**
   * Replicas that must have each resource write (create, update, delete) before it is answered:
   * Redis replicates asynchronously, and a master that dies before a replica got a write loses it
   * on failover. 0 (the default) answers once the master has it; 1 or more sends {@code WAIT} after
   * the write, on the same connection (docs/storage.md, "Failover").
   */
  @WithDefault("0")
  int writeReplicas();

  /**
   * How long a write waits for {@link #writeReplicas()}; short of them by then it is answered 503
   * (it was applied on the master, and is kept unless that master fails first).
   */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("1s")
  Duration writeReplicasTimeout();
}
