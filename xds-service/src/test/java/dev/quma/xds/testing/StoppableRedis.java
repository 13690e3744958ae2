package dev.quma.xds.testing;

import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A redis-server of the test's own that the test can stop and start again on the same port, with
 * its data (an append-only file): an outage, not a wipe. And a free port for the gRPC server.
 */
public class StoppableRedis implements QuarkusTestResourceLifecycleManager {
  private static volatile LocalRedis redis;
  private static volatile int port;
  private static volatile Path data;
  private static volatile int grpcPort;

  @Override
  public Map<String, String> start() {
    try {
      data = Files.createTempDirectory("quma-outage-redis");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    port = LocalRedis.freePort();
    redis = LocalRedis.start(port, data);
    grpcPort = LocalRedis.freePort();
    return XdsTestResources.config(Map.of("quma.redis.url", redis.url()), grpcPort);
  }

  public static int grpcPort() {
    return grpcPort;
  }

  /** Stops redis-server (SIGTERM: it writes its append-only file and exits). */
  public static void stopRedis() {
    redis.close();
  }

  /** Starts it again on the same port and data, and waits until it answers. */
  public static void startRedis() {
    redis = LocalRedis.start(port, data);
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.close();
    }
  }
}
