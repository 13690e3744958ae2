package dev.quma.core.insight;

import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Keys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Dataplane insights: written by the xDS tier (only while the dataplane exists, so a deleted one
 * leaves nothing behind), read by the API. The last heartbeat also goes into a per-mesh sorted set,
 * so that the lifecycle sweeps find stale proxies with a range query.
 */
public final class InsightStore {
  // KEYS: dataplane record, insight, lastseen, online; ARGV: insight json, heartbeat ms, name,
  // online?
  private static final String PUT_SCRIPT =
      """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      redis.call('SET', KEYS[2], ARGV[1])
      redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
      if ARGV[4] == '1' then
        redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3])
      else
        redis.call('ZREM', KEYS[4], ARGV[3])
      end
      return 1
      """;

  private final Redis redis;
  private final Keys keys;
  private final ResourceCodec codec = ResourceCodec.instance();

  public InsightStore(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** The dataplane's insight, or {@link DataplaneInsight#EMPTY} when the xDS tier wrote none. */
  public Uni<DataplaneInsight> get(String mesh, String name) {
    return redis.send(Request.cmd(Command.GET).arg(keys.insight(mesh, name))).map(this::parse);
  }

  /** Insights of several dataplanes of one mesh, in the order of {@code names}. */
  public Uni<List<DataplaneInsight>> getAll(String mesh, List<String> names) {
    if (names.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    Request mget = Request.cmd(Command.MGET);
    names.forEach(name -> mget.arg(keys.insight(mesh, name)));
    return redis
        .send(mget)
        .map(
            values -> {
              List<DataplaneInsight> insights = new ArrayList<>(names.size());
              for (Response value : values) {
                insights.add(parse(value));
              }
              return insights;
            });
  }

  /**
   * Writes the insight and the heartbeat if the dataplane still exists (true when written). The
   * heartbeat goes into {@code lastseen}, and into {@code online} while the insight has an open
   * subscription (it leaves {@code online} when the last subscription closes).
   */
  public Uni<Boolean> put(String mesh, String name, DataplaneInsight insight, Instant heartbeat) {
    String json;
    try {
      json = codec.json().writeValueAsString(insight);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Request eval =
        Request.cmd(Command.EVAL)
            .arg(PUT_SCRIPT)
            .arg(4)
            .arg(keys.record(ResourceType.DATAPLANE, mesh, name))
            .arg(keys.insight(mesh, name))
            .arg(keys.lastSeen(mesh))
            .arg(keys.online(mesh))
            .arg(json)
            .arg(heartbeat.toEpochMilli())
            .arg(name)
            .arg(insight.online() ? "1" : "0");
    return redis.send(eval).map(r -> r.toInteger() == 1);
  }

  private DataplaneInsight parse(Response value) {
    if (value == null) {
      return DataplaneInsight.EMPTY;
    }
    try {
      return codec
          .json()
          .readerFor(DataplaneInsight.class)
          .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(value.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("stored insight is unreadable", e);
    }
  }
}
