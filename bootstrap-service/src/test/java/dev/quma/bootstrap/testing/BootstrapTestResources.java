package dev.quma.bootstrap.testing;

import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A redis-server of the test run's own, and plain HTTP (tests call the service without a CA). The
 * bootstraps still tell Envoy to use TLS, with the control plane's CA from that Redis.
 */
public class BootstrapTestResources implements QuarkusTestResourceLifecycleManager {
  private static volatile String redisUrl;
  private LocalRedis redis;

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    redisUrl = redis.url();
    return Map.of(
        "quma.redis.url",
        redis.url(),
        "quma.bootstrap.xds-host",
        "xds.test.internal",
        "quma.bootstrap.xds-port",
        "15678",
        "quma.dataplane-tokens.cache-refresh-interval",
        "100ms");
  }

  /** The test's Redis, for a test that runs outside the service (an IT). */
  public static String redisUrl() {
    return redisUrl;
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.close();
    }
  }
}
