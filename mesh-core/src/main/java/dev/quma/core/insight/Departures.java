package dev.quma.core.insight;

import dev.quma.core.store.Keys;
import dev.quma.core.store.Replies;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the mesh's departed proxies, as the insight scripts record them: a stream that closes or
 * breaks with no other live stream of its proxy left writes one, the proxy's next stream removes
 * it, and each of those writes appends a {@link #EVENT_TYPE} event to the mesh's change stream so
 * that every xDS replica's view follows.
 */
public final class Departures {
  /** The change-stream event type of a departure written or removed (not a Kuma resource type). */
  public static final String EVENT_TYPE = "DataplaneConnection";

  private final Redis redis;
  private final Keys keys;

  public Departures(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Every departed proxy of a mesh, by dataplane name. */
  public Uni<Map<String, Departure>> all(String mesh) {
    return redis
        .send(Request.cmd(Command.HGETALL).arg(keys.departures(mesh)))
        .map(
            reply -> {
              Map<String, Departure> all = new HashMap<>();
              Replies.hash(reply)
                  .forEach(
                      (name, value) -> {
                        Departure parsed = Departure.parse(value);
                        if (parsed != null) {
                          all.put(name, parsed);
                        }
                      });
              return all;
            });
  }

  /** The departures of the named dataplanes; a name that is connected (or unknown) maps to null. */
  public Uni<Map<String, Departure>> of(String mesh, List<String> names) {
    if (names.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    Request hmget = Request.cmd(Command.HMGET).arg(keys.departures(mesh));
    names.forEach(hmget::arg);
    return redis
        .send(hmget)
        .map(
            reply -> {
              Map<String, Departure> found = new HashMap<>();
              for (int i = 0; i < names.size(); i++) {
                Response value = reply.get(i);
                found.put(names.get(i), value == null ? null : Departure.parse(value.toString()));
              }
              return found;
            });
  }
}
