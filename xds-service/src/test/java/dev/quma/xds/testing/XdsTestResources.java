package dev.quma.xds.testing;

import dev.quma.local.LocalRedis;
import dev.quma.testing.ServiceRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/** A redis-server of the test run's own, and a free port for the gRPC server under test. */
public class XdsTestResources implements QuarkusTestResourceLifecycleManager {
  private static volatile int grpcPort;
  private static volatile String redisUrl;
  private ServiceRedis redis;
  private Context context;

  @Override
  public void setContext(Context context) {
    this.context = context;
  }

  @Override
  public Map<String, String> start() {
    redis = ServiceRedis.start(context);
    grpcPort = LocalRedis.freePort();
    redisUrl = redis.url();
    return config(redis.config(), grpcPort);
  }

  /** The settings that point the service under test at {@code redis} and {@code grpcPort}. */
  static Map<String, String> config(Map<String, String> redis, int grpcPort) {
    Map<String, String> config = new HashMap<>(redis);
    config.put("quarkus.grpc.server.test-port", String.valueOf(grpcPort));
    config.put("quarkus.grpc.server.port", String.valueOf(grpcPort));
    return config;
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
