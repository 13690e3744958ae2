package dev.quma.core.insight;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.ResourceType;
import dev.quma.core.stats.DataplaneClass;
import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.store.Keys;
import dev.quma.core.store.LuaScript;
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
 * so that the lifecycle sweeps find stale proxies with a range query; the mesh's dataplane counters
 * follow in the same script.
 */
public final class InsightStore {
  private static final LuaScript PUT =
      LuaScript.load(InsightStore.class, MeshStatsStore.LUA_LIBRARY, "put-insight.lua");

  private final Redis redis;
  private final Keys keys;
  private final ResourceCodec codec = ResourceCodec.instance();
  private final ObjectReader reader =
      codec
          .json()
          .readerFor(DataplaneInsight.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
    return PUT.run(
            redis,
            List.of(
                keys.record(ResourceType.DATAPLANE, mesh, name),
                keys.insight(mesh, name),
                keys.lastSeen(mesh),
                keys.online(mesh),
                keys.stats(mesh),
                keys.statsServices(mesh),
                keys.statsNames(mesh)),
            List.of(
                json,
                String.valueOf(heartbeat.toEpochMilli()),
                name,
                insight.online() ? "1" : "0",
                DataplaneClass.ofInsight(insight)))
        .map(r -> r.toInteger() == 1);
  }

  private DataplaneInsight parse(Response value) {
    if (value == null) {
      return DataplaneInsight.EMPTY;
    }
    try {
      return reader.readValue(value.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("stored insight is unreadable", e);
    }
  }
}
