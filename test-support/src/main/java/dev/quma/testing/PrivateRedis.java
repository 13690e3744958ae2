package dev.quma.testing;

import dev.quma.local.LocalRedis;
import dev.quma.local.LocalRedisCluster;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server of the test class's own (on a free port, so it can be flushed freely: before
 * each test), with a Vert.x client connected to it. Register with {@code @RegisterExtension static
 * PrivateRedis redis = new PrivateRedis()}.
 *
 * <p>In a class annotated {@link OnRedisCluster} it is a local Redis Cluster of three masters
 * instead, with a cluster client; after each test every master is asked whether it refused a
 * command for keys in several slots (CROSSSLOT, its error statistics), and the test fails if one
 * did. A client-side CROSSSLOT (a batch over several slots) fails the command itself.
 */
public final class PrivateRedis
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private LocalRedis server;
  private LocalRedisCluster cluster;
  private Vertx vertx;
  private Redis client;

  @Override
  public void beforeAll(ExtensionContext context) {
    if (context.getRequiredTestClass().isAnnotationPresent(OnRedisCluster.class)) {
      cluster = LocalRedisCluster.startThreeMasters();
    } else {
      server = LocalRedis.startEphemeral();
    }
    vertx = Vertx.vertx();
    client = clientOn(vertx, 16);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (cluster == null) {
      client.send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));
      return;
    }
    for (LocalRedisCluster.Node master : cluster.masters()) {
      LocalRedisCluster.command(master.port(), "FLUSHALL");
      LocalRedisCluster.command(master.port(), "CONFIG", "RESETSTAT");
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (cluster == null) {
      return;
    }
    for (LocalRedisCluster.Node master : cluster.masters()) {
      String errors = LocalRedisCluster.command(master.port(), "INFO", "errorstats");
      if (errors.contains("errorstat_CROSSSLOT")) {
        throw new AssertionError(
            "Redis Cluster node " + master.url() + " refused a cross-slot command: " + errors);
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    client.close();
    vertx.closeAndAwait();
    if (cluster != null) {
      cluster.close();
      cluster = null;
    } else {
      server.close();
      server = null;
    }
  }

  public Redis client() {
    return client;
  }

  /** Another client of this server on its own Vert.x (a second "process" in a test). */
  public Redis clientOn(Vertx owner) {
    return clientOn(owner, 8);
  }

  private Redis clientOn(Vertx owner, int poolSize) {
    RedisOptions options = new RedisOptions().setMaxPoolSize(poolSize).setMaxPoolWaiting(1024);
    if (cluster != null) {
      options.setType(RedisClientType.CLUSTER);
      cluster.nodes().forEach(node -> options.addConnectionString(node.url()));
    } else {
      options.setConnectionString(server.url());
    }
    return Redis.createClient(owner, options);
  }

  /**
   * Closes, on every node, the client connections whose last command is {@code command} (e.g.
   * {@code xread}: a follower blocked in its read); answers how many it closed.
   */
  public int killConnectionsRunning(String command) {
    int killed = 0;
    List<Integer> ports =
        cluster == null
            ? List.of(server.port())
            : cluster.masters().stream().map(LocalRedisCluster.Node::port).toList();
    for (int port : ports) {
      for (String line : LocalRedisCluster.command(port, "CLIENT", "LIST").split("\n")) {
        if (line.contains(" cmd=" + command + " ")) {
          String id =
              line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
          LocalRedisCluster.command(port, "CLIENT", "KILL", "ID", id);
          killed++;
        }
      }
    }
    return killed;
  }

  /**
   * Runs a command on the node that holds {@code key} (the one node, or its master on a cluster),
   * for what concerns a node rather than a key (its statistics); answers the reply's text.
   */
  public String onNodeOf(String key, String... command) {
    int port = cluster == null ? server.port() : cluster.masterOf(key).port();
    return LocalRedisCluster.command(port, command);
  }

  /** True when this runs as a Redis Cluster ({@link OnRedisCluster}). */
  public boolean isCluster() {
    return cluster != null;
  }

  /** The cluster, in a class annotated {@link OnRedisCluster}. */
  public LocalRedisCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("not a Redis Cluster: annotate the class @OnRedisCluster");
    }
    return cluster;
  }

  /** The server (not on a cluster). */
  public LocalRedis server() {
    if (server == null) {
      throw new IllegalStateException("a Redis Cluster has no single server");
    }
    return server;
  }

  /** Stops the server without saving (it has no persistence): its data is gone. */
  public void stopServer() {
    server().close();
  }

  /** Starts the server again on the same port, empty: the client reconnects to it. */
  public void startServerAgain() {
    server = LocalRedis.start(server().port(), null);
  }
}
