package dev.quma.testing;

import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a redis-server of the test run's own (a free port) and points the service under test at
 * it; under {@link OnRedisClusterProfile}, a local Redis Cluster instead. {@link #stopRedis()} and
 * {@link #restartRedis()} let a test take the latest started (single) one away and bring it back,
 * empty, on the same port.
 */
public class PrivateRedisResource implements QuarkusTestResourceLifecycleManager {
  private static volatile PrivateRedisResource latest;

  private volatile ServiceRedis redis;
  private volatile Context context;

  @Override
  public void setContext(Context context) {
    this.context = context;
  }

  @Override
  public Map<String, String> start() {
    redis = ServiceRedis.start(context);
    latest = this;
    return redis.config();
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  /** The latest started Redis's URL(s), for a test that runs outside the service (an IT). */
  public static String url() {
    return latest.redis.url();
  }

  /** The latest started Redis, for a test that must know its shape. */
  public static ServiceRedis redis() {
    return latest.redis;
  }

  public static void stopRedis() {
    latest.redis.server().close();
  }

  public static void restartRedis() {
    LocalRedis old = latest.redis.server();
    latest.redis = ServiceRedis.restarted(LocalRedis.start(old.port(), null));
  }
}
