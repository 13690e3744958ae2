package dev.quma.lifecycle.testing;

import dev.quma.local.LocalRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server of the test class's own (free port, flushed before each test) and a client.
 * Register with {@code @RegisterExtension static RedisServer redis = new RedisServer()}.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private LocalRedis server;
  private Vertx vertx;
  private Redis client;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = LocalRedis.startEphemeral();
    vertx = Vertx.vertx();
    client = clientOn(vertx);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    client.send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    client.close();
    vertx.closeAndAwait();
    server.close();
  }

  public Redis client() {
    return client;
  }

  /** Another client of this server on its own Vert.x (a second "process" in a test). */
  public Redis clientOn(Vertx owner) {
    return Redis.createClient(
        owner,
        new RedisOptions()
            .setConnectionString(server.url())
            .setMaxPoolSize(8)
            .setMaxPoolWaiting(1024));
  }
}
