package dev.quma.core.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a Redis hash whose fields are dataplane names and whose values are small records in a
 * stored form ({@code parse} gives null for one it cannot read): the shape of the per-mesh
 * departures and probe results.
 */
public final class HashRecords<T> {
  private final Redis redis;
  private final Function<String, T> parse;

  public HashRecords(Redis redis, Function<String, T> parse) {
    this.redis = redis;
    this.parse = parse;
  }

  /** Every readable record of the hash, by field. */
  public Uni<Map<String, T>> all(String key) {
    return redis
        .send(Request.cmd(Command.HGETALL).arg(key))
        .map(
            reply -> {
              Map<String, T> all = new HashMap<>();
              Replies.hash(reply)
                  .forEach(
                      (field, value) -> {
                        T parsed = parse.apply(value);
                        if (parsed != null) {
                          all.put(field, parsed);
                        }
                      });
              return all;
            });
  }

  /** The records of the named fields; a field with none maps to null. */
  public Uni<Map<String, T>> of(String key, List<String> fields) {
    if (fields.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    Request hmget = Request.cmd(Command.HMGET).arg(key);
    fields.forEach(hmget::arg);
    return redis
        .send(hmget)
        .map(
            reply -> {
              Map<String, T> found = new HashMap<>();
              for (int i = 0; i < fields.size(); i++) {
                Response value = reply.get(i);
                found.put(fields.get(i), value == null ? null : parse.apply(value.toString()));
              }
              return found;
            });
  }
}
