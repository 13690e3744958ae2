package dev.quma.core.insight;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.store.Keys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads dataplane insights, as {@link InsightWriter} wrote them (the xDS tier, while a proxy is
 * connected) and {@link Heartbeats#markOffline} closed them: for the API's views, the xDS tier's
 * deregistration check and the config dumps.
 */
public final class InsightReader {

  private final Redis redis;
  private final Keys keys;
  private final ResourceCodec codec = ResourceCodec.instance();
  private final ObjectReader reader =
      codec
          .json()
          .readerFor(DataplaneInsight.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public InsightReader(Redis redis, Keys keys) {
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
