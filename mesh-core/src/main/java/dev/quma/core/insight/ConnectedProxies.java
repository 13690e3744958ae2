package dev.quma.core.insight;

import dev.quma.core.store.Keys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a proxy of a given name is connected to the xDS tier right now: it has an open
 * subscription (it is in the mesh's {@code online} heartbeat set) and its replica wrote a heartbeat
 * recently, and the subscription is live ({@link ReplicaLiveness}: its replica's own heartbeat has
 * not run out). So a subscription that a crashed replica never closed stops counting once that
 * replica's heartbeat runs out, and at the latest after {@code within}.
 */
public final class ConnectedProxies {
  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final Duration within;
  private final InsightReader insights;

  public ConnectedProxies(Redis redis, Keys keys, Clock clock, Duration within) {
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
    this.within = within;
    this.insights = new InsightReader(redis, keys, clock);
  }

  /**
   * How many proxies of {@code mesh} are connected right now, each judged as {@link #connectedNow}
   * judges one (so a mesh is never held by a proxy whose replica died).
   */
  public Uni<Long> countConnected(String mesh) {
    return redis
        .send(
            Request.cmd(Command.ZRANGEBYSCORE)
                .arg(keys.online(mesh))
                .arg(clock.millis() - within.toMillis())
                .arg("+inf"))
        .flatMap(
            reply -> {
              List<String> recent = new ArrayList<>();
              if (reply != null) {
                reply.forEach(name -> recent.add(name.toString()));
              }
              return live(mesh, recent);
            });
  }

  public Uni<Boolean> connectedNow(String mesh, String name) {
    return redis
        .send(Request.cmd(Command.ZSCORE).arg(keys.online(mesh)).arg(name))
        .flatMap(
            score -> {
              boolean recent =
                  score != null
                      && (long) Double.parseDouble(score.toString())
                          >= clock.millis() - within.toMillis();
              return recent
                  ? live(mesh, List.of(name)).map(n -> n > 0)
                  : Uni.createFrom().item(false);
            });
  }

  /**
   * How many of {@code recent} (names with a recent heartbeat) have an open subscription whose
   * replica is live: the one rule for a dataplane's and a mesh's connected proxies.
   */
  private Uni<Long> live(String mesh, List<String> recent) {
    if (recent.isEmpty()) {
      return Uni.createFrom().item(0L);
    }
    return insights
        .getAll(mesh, recent)
        .map(all -> all.stream().filter(DataplaneInsight::online).count());
  }
}
