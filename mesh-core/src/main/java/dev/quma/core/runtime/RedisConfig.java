package dev.quma.core.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The one setting that names the shared Redis ({@code QUMA_REDIS_URL}, {@code
 * QUMA_REDIS_CLIENT_TYPE}); application.properties feeds every Quarkus Redis client from it.
 */
@ConfigMapping(prefix = "quma.redis")
public interface RedisConfig {
  /** One URL, or several comma-separated (a cluster's nodes, or the sentinels). */
  @WithDefault(RedisDeployment.DEFAULT_URL)
  String url();

  /** standalone, cluster or sentinel. */
  @WithDefault("standalone")
  String clientType();

  /** The master's name, for sentinel. */
  @WithDefault(RedisDeployment.DEFAULT_MASTER_NAME)
  String masterName();

  default RedisDeployment deployment() {
    return RedisDeployment.parse(url(), clientType(), masterName());
  }
}
