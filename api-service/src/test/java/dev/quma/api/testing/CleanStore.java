package dev.quma.api.testing;

import dev.quma.api.startup.Defaults;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Empties the private Redis and recreates the defaults, so that each test starts like a first
 * start.
 */
@ApplicationScoped
public class CleanStore {
  private final Redis redis;
  private final Defaults defaults;

  public CleanStore(Redis redis, Defaults defaults) {
    this.redis = redis;
    this.defaults = defaults;
  }

  public void reset() {
    redis.send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));
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
