package dev.quma.tokens.testing;

import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a redis-server of the test run's own (a free port) and points the service at it. */
public class PrivateRedisResource implements QuarkusTestResourceLifecycleManager {
  private LocalRedis redis;

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    return Map.of("quarkus.redis.hosts", redis.url());
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.close();
    }
  }
}
