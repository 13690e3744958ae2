package dev.quma.core.insight;

import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.store.HashRecords;
import dev.quma.core.store.Keys;
import dev.quma.core.store.LuaScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import java.util.List;
import java.util.Map;

/**
 * The mesh's service probe results ({@link ProbeHealth}), written by the xDS replica that holds a
 * proxy's health check stream and read by every replica's view: each change appends a {@link
 * #EVENT_TYPE} event to the mesh's change stream, as departures do.
 */
public final class ProbeResults {
  /** The change-stream event type of probe results that changed (not a Kuma resource type). */
  public static final String EVENT_TYPE = "DataplaneProbe";

  private static final LuaScript RECORD =
      LuaScript.load(ProbeResults.class, MeshStatsStore.LUA_LIBRARY, "record-probe.lua");

  private final Redis redis;
  private final Keys keys;
  private final HashRecords<ProbeHealth> records;
  private final long streamMaxLength;

  public ProbeResults(Redis redis, Keys keys, long streamMaxLength) {
    this.redis = redis;
    this.keys = keys;
    this.records = new HashRecords<>(redis, ProbeHealth::parse);
    this.streamMaxLength = streamMaxLength;
  }

  /** What {@link #record} did. */
  public enum Outcome {
    WRITTEN,
    /** The stored results said the same already. */
    UNCHANGED,
    /** There is no such dataplane (yet, or any more): nothing was written. */
    NO_DATAPLANE
  }

  /** Stores the results unless the stored ones say the same. */
  public Uni<Outcome> record(String mesh, String name, ProbeHealth health) {
    LuaScript.Call call =
        MeshStatsStore.counted(new LuaScript.Call(), keys, mesh, name)
            .key("events", keys.events(mesh))
            .arg("name", name)
            .arg("health", health.storedHealth())
            .arg("since", health.sinceMillis())
            .arg("mesh", mesh)
            .arg("maxlen", streamMaxLength)
            .arg("eventType", EVENT_TYPE);
    return RECORD
        .run(redis, call)
        .map(
            reply ->
                switch (reply.toInteger()) {
                  case 1 -> Outcome.WRITTEN;
                  case 0 -> Outcome.UNCHANGED;
                  default -> Outcome.NO_DATAPLANE;
                });
  }

  /** Every dataplane of a mesh with probe results, by name. */
  public Uni<Map<String, ProbeHealth>> all(String mesh) {
    return records.all(keys.probes(mesh));
  }

  /** The results of the named dataplanes; one with none maps to null. */
  public Uni<Map<String, ProbeHealth>> of(String mesh, List<String> names) {
    return records.of(keys.probes(mesh), names);
  }
}
