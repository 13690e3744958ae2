package dev.quma.testing;

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
 * A real redis-server of the test class's own (on a free port, so it can be flushed freely: before
 * each test), with a Vert.x client connected to it. Register with {@code @RegisterExtension static
 * PrivateRedis redis = new PrivateRedis()}.
 */
public final class PrivateRedis implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private LocalRedis server;
  private Vertx vertx;
  private Redis client;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = LocalRedis.startEphemeral();
    vertx = Vertx.vertx();
    client = clientOn(vertx, 16);
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
    return clientOn(owner, 8);
  }

  private Redis clientOn(Vertx owner, int poolSize) {
    return Redis.createClient(
        owner,
        new RedisOptions()
            .setConnectionString(server.url())
            .setMaxPoolSize(poolSize)
            .setMaxPoolWaiting(1024));
  }

  public LocalRedis server() {
    return server;
  }

  /** Stops the server without saving (it has no persistence): its data is gone. */
  public void stopServer() {
    server.close();
  }

  /** Starts the server again on the same port, empty: the client reconnects to it. */
  public void startServerAgain() {
    server = LocalRedis.start(server.port(), null);
  }
}
