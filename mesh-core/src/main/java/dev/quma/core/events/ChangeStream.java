package dev.quma.core.events;

import dev.quma.core.store.Keys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the change streams the store appends to: one per mesh (its resources) and a global one
 * (meshes and global resources). Followers keep the last id they handled and read after it.
 */
public final class ChangeStream {
  /** Reads from the start of a stream. */
  public static final String BEGINNING = "0-0";

  private final Redis redis;
  private final Keys keys;

  public ChangeStream(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Up to {@code count} events of a mesh's stream after {@code afterId}. */
  public Uni<List<ChangeEvent>> readMesh(String mesh, String afterId, int count) {
    return read(keys.events(mesh), afterId, count);
  }

  /** Up to {@code count} events of the global stream after {@code afterId}. */
  public Uni<List<ChangeEvent>> readGlobal(String afterId, int count) {
    return read(keys.events(Keys.GLOBAL_TAG), afterId, count);
  }

  /**
   * The id of the oldest entry still in a mesh's stream, or null when it is empty. A follower whose
   * last id is older than this missed trimmed events and must resynchronise fully.
   */
  public Uni<String> oldestId(String mesh) {
    return redis
        .send(
            Request.cmd(Command.XRANGE)
                .arg(keys.events(mesh))
                .arg("-")
                .arg("+")
                .arg("COUNT")
                .arg(1))
        .map(r -> r == null || r.size() == 0 ? null : r.get(0).get(0).toString());
  }

  /** The id of the newest entry of a mesh's stream, or {@link #BEGINNING} when it is empty. */
  public Uni<String> latestId(String mesh) {
    return redis
        .send(
            Request.cmd(Command.XREVRANGE)
                .arg(keys.events(mesh))
                .arg("+")
                .arg("-")
                .arg("COUNT")
                .arg(1))
        .map(r -> r == null || r.size() == 0 ? BEGINNING : r.get(0).get(0).toString());
  }

  /** Orders two stream ids ({@code millis-sequence}) as Redis does. */
  public static int compareIds(String a, String b) {
    int dashA = a.indexOf('-');
    int dashB = b.indexOf('-');
    int byTime =
        Long.compareUnsigned(
            Long.parseUnsignedLong(a.substring(0, dashA)),
            Long.parseUnsignedLong(b.substring(0, dashB)));
    if (byTime != 0) {
      return byTime;
    }
    return Long.compareUnsigned(
        Long.parseUnsignedLong(a.substring(dashA + 1)),
        Long.parseUnsignedLong(b.substring(dashB + 1)));
  }

  private Uni<List<ChangeEvent>> read(String stream, String afterId, int count) {
    return redis
        .send(
            Request.cmd(Command.XRANGE)
                .arg(stream)
                .arg("(" + afterId)
                .arg("+")
                .arg("COUNT")
                .arg(count))
        .map(ChangeStream::parse);
  }

  static List<ChangeEvent> parse(Response entries) {
    List<ChangeEvent> events = new ArrayList<>();
    if (entries == null) {
      return events;
    }
    for (Response entry : entries) {
      String id = entry.get(0).toString();
      Response fields = entry.get(1);
      Map<String, String> values = new HashMap<>();
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        values.put(fields.get(i).toString(), fields.get(i + 1).toString());
      }
      events.add(
          new ChangeEvent(
              id,
              ChangeEvent.Op.valueOf(values.get("op").toUpperCase(Locale.ROOT)),
              values.get("type"),
              values.getOrDefault("mesh", ""),
              values.get("name"),
              Long.parseLong(values.getOrDefault("version", "0"))));
    }
    return events;
  }
}
