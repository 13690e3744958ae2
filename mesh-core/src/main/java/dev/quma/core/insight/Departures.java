package dev.quma.core.insight;

import dev.quma.core.store.HashRecords;
import dev.quma.core.store.Keys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
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

  private final Keys keys;
  private final HashRecords<Departure> records;

  public Departures(Redis redis, Keys keys) {
    this.keys = keys;
    this.records = new HashRecords<>(redis, Departure::parse);
  }

  /** Every departed proxy of a mesh, by dataplane name. */
  public Uni<Map<String, Departure>> all(String mesh) {
    return records.all(keys.departures(mesh));
  }

  /** The departures of the named dataplanes; a name that is connected (or unknown) maps to null. */
  public Uni<Map<String, Departure>> of(String mesh, List<String> names) {
    return records.of(keys.departures(mesh), names);
  }
}
