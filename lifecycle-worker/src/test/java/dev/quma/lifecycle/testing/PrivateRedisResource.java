package dev.quma.lifecycle.testing;

import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a redis-server of the test run's own (a free port) and points the service at it. {@link
 * #stopRedis()} and {@link #restartRedis()} let a test take Redis away and bring it back on the
 * same port.
 */
public class PrivateRedisResource implements QuarkusTestResourceLifecycleManager {
  private static volatile LocalRedis redis;
  private static volatile int port;

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    port = redis.port();
    return Map.of("quarkus.redis.hosts", redis.url());
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  /** The server's URL, for a test that runs outside the service (an IT). */
  public static String url() {
    return redis.url();
  }

  public static void stopRedis() {
    redis.close();
  }

  public static void restartRedis() {
    redis = LocalRedis.start(port, null);
  }
}
