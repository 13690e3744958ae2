package dev.quma.xds.testing;

import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A redis-server of the test run's own, and a free port for the gRPC server under test. */
public class XdsTestResources implements QuarkusTestResourceLifecycleManager {
  private static volatile int grpcPort;
  private static volatile String redisUrl;
  private LocalRedis redis;

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    grpcPort = LocalRedis.freePort();
    redisUrl = redis.url();
    return config(redis, grpcPort);
  }

  /** The settings that point the service under test at {@code redis} and {@code grpcPort}. */
  static Map<String, String> config(LocalRedis redis, int grpcPort) {
    return Map.of(
        "quma.redis.url",
        redis.url(),
        "quarkus.grpc.server.test-port",
        String.valueOf(grpcPort),
        "quarkus.grpc.server.port",
        String.valueOf(grpcPort));
  }

  /** Where the xDS server under test listens. */
  public static int grpcPort() {
    return grpcPort;
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
