package dev.quma.testing;

import dev.quma.local.LocalRedis;
import dev.quma.local.LocalRedisCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The Redis a Quarkus test resource starts for the service under test: one node, or a local Redis
 * Cluster when the test's profile is annotated {@link OnRedisCluster} (e.g. {@link
 * OnRedisClusterProfile}); {@link #config} is the one setting that names it to the service
 * (QUMA_REDIS_URL and QUMA_REDIS_CLIENT_TYPE).
 */
public final class ServiceRedis implements AutoCloseable {
  private final LocalRedis server;
  private final LocalRedisCluster cluster;

  private ServiceRedis(LocalRedis server, LocalRedisCluster cluster) {
    this.server = server;
    this.cluster = cluster;
  }

  /** Starts the shape {@code context}'s profile asks for (one node without a context). */
  public static ServiceRedis start(QuarkusTestResourceLifecycleManager.Context context) {
    return onCluster(context)
        ? new ServiceRedis(null, LocalRedisCluster.startThreeMasters())
        : new ServiceRedis(LocalRedis.startEphemeral(), null);
  }

  /** A single node started again in place of a stopped one. */
  static ServiceRedis restarted(LocalRedis server) {
    return new ServiceRedis(server, null);
  }

  /**
   * True when the test's profile is annotated {@link OnRedisCluster} (compared by name: the profile
   * may come from another class loader than this class).
   */
  static boolean onCluster(QuarkusTestResourceLifecycleManager.Context context) {
    if (context == null || context.testProfile() == null || context.testProfile().isEmpty()) {
      return false;
    }
    try {
      Class<?> profile =
          Class.forName(
              context.testProfile(), false, Thread.currentThread().getContextClassLoader());
      for (Class<?> c = profile; c != null; c = c.getSuperclass()) {
        for (java.lang.annotation.Annotation a : c.getDeclaredAnnotations()) {
          if (a.annotationType().getName().equals(OnRedisCluster.class.getName())) {
            return true;
          }
        }
      }
      return false;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  public boolean isCluster() {
    return cluster != null;
  }

  /** Comma-separated URLs, as QUMA_REDIS_URL carries them. */
  public String url() {
    return cluster != null ? cluster.urlSetting() : server.url();
  }

  public String clientType() {
    return cluster != null ? "cluster" : "standalone";
  }

  /** The service's settings for this Redis. */
  public Map<String, String> config() {
    return Map.of("quma.redis.url", url(), "quma.redis.client-type", clientType());
  }

  /** The single node (not on a cluster). */
  public LocalRedis server() {
    if (server == null) {
      throw new IllegalStateException("a Redis Cluster has no single server");
    }
    return server;
  }

  public LocalRedisCluster cluster() {
    return cluster;
  }

  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    } else {
      server.close();
    }
  }
}
