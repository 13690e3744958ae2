package dev.quma.testing;

import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a redis-server of the test run's own (a free port) and points the service under test at
 * it. {@link #stopRedis()} and {@link #restartRedis()} let a test take the latest started one away
 * and bring it back, empty, on the same port.
 */
public class PrivateRedisResource implements QuarkusTestResourceLifecycleManager {
  private static volatile PrivateRedisResource latest;

  private volatile LocalRedis redis;

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    latest = this;
    return Map.of("quma.redis.url", redis.url());
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  /** The latest started server's URL, for a test that runs outside the service (an IT). */
  public static String url() {
    return latest.redis.url();
  }

  public static void stopRedis() {
    latest.redis.close();
  }

  public static void restartRedis() {
    latest.redis = LocalRedis.start(latest.redis.port(), null);
  }
}
