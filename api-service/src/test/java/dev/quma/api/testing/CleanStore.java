package dev.quma.api.testing;

import dev.quma.api.startup.Defaults;
import dev.quma.core.runtime.RedisConfig;
import dev.quma.core.runtime.RedisDeployment;
import dev.quma.core.store.ResourceStore;
import dev.quma.local.LocalRedisCluster;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;

/**
 * Empties the private Redis and recreates the defaults, so that each test starts like a first
 * start. The store keeps its id: a test's reset is not a wipe for the service under test (which
 * would otherwise recover from it in the middle of the next test).
 */
@ApplicationScoped
public class CleanStore {
  // One script, so that no check of the service sees the store without its id.
  private static final String FLUSH_KEEPING_ID =
      "local id = redis.call('GET', KEYS[1]) redis.call('FLUSHALL')"
          + " if id then redis.call('SET', KEYS[1], id) end return 1";

  private final Redis redis;
  private final Defaults defaults;
  private final ResourceStore store;
  private final RedisConfig redisConfig;

  public CleanStore(Redis redis, Defaults defaults, ResourceStore store, RedisConfig redisConfig) {
    this.redis = redis;
    this.defaults = defaults;
    this.store = store;
    this.redisConfig = redisConfig;
  }

  public void reset() {
    RedisDeployment deployment = redisConfig.deployment();
    if (deployment.type() == RedisDeployment.ClientType.CLUSTER) {
      // A script runs on one node: each master is emptied, the store id's one around it.
      LocalRedisCluster.flushAllKeeping(
          URI.create(deployment.urls().get(0)).getPort(), store.keys().storeId());
      defaults.ensure().await().atMost(Duration.ofSeconds(30));
      return;
    }
    redis
        .send(Request.cmd(Command.EVAL).arg(FLUSH_KEEPING_ID).arg(1).arg(store.keys().storeId()))
        .await()
        .atMost(Duration.ofSeconds(5));
    defaults.ensure().await().atMost(Duration.ofSeconds(30));
  }

  /**
   * Creates the defaults if they are missing, keeping everything else: for tests that hold a user
   * token across tests (a reset makes a new signing key, which the verifier's cache may not know
   * yet).
   */
  public void ensureDefaults() {
    defaults.ensure().await().atMost(Duration.ofSeconds(30));
  }
}
