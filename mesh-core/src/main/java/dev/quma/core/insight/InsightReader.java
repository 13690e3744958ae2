package dev.quma.core.insight;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.store.Keys;
import dev.quma.core.store.SlotBatches;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads dataplane insights, as {@link InsightWriter} wrote them (the xDS tier, while a proxy is
 * connected) and {@link Heartbeats#markOffline} closed them: for the API's views, the xDS tier's
 * deregistration check and the config dumps. An open subscription whose replica is no longer live
 * ({@link ReplicaLiveness}: crashed, or restarted) reads as closed, so every reader agrees with the
 * scripts on who is online.
 */
public final class InsightReader {

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final ResourceCodec codec = ResourceCodec.instance();
  private final ObjectReader reader =
      codec
          .json()
          .readerFor(DataplaneInsight.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public InsightReader(Redis redis, Keys keys) {
    this(redis, keys, Clock.systemUTC());
  }

  public InsightReader(Redis redis, Keys keys, Clock clock) {
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
  }

  /** The dataplane's insight, or {@link DataplaneInsight#EMPTY} when the xDS tier wrote none. */
  public Uni<DataplaneInsight> get(String mesh, String name) {
    return getAll(mesh, List.of(name)).map(all -> all.get(0));
  }

  /** Insights of several dataplanes of one mesh, in the order of {@code names}. */
  public Uni<List<DataplaneInsight>> getAll(String mesh, List<String> names) {
    if (names.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    Request mget = Request.cmd(Command.MGET);
    names.forEach(name -> mget.arg(keys.insight(mesh, name)));
    Request replicas = Request.cmd(Command.HGETALL).arg(keys.replicas(mesh));
    return SlotBatches.batch(redis, List.of(mget, replicas))
        .map(
            replies -> {
              ReplicaLiveness liveness = ReplicaLiveness.of(replies.get(1), clock.instant());
              List<DataplaneInsight> insights = new ArrayList<>(names.size());
              for (Response value : replies.get(0)) {
                insights.add(liveness.settle(parse(value)));
              }
              return insights;
            });
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
