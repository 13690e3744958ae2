package dev.quma.tokens.testing;

import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a redis-server of the test run's own (a free port) and points the service at it. */
public class PrivateRedisResource implements QuarkusTestResourceLifecycleManager {
  private static volatile String url;
  private LocalRedis redis;

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    url = redis.url();
    return Map.of("quarkus.redis.hosts", redis.url());
  }

  /** The last started server's URL, for a test that runs outside the service (an IT). */
  public static String url() {
    return url;
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.close();
    }
  }
}
