package dev.quma.core.events;

import dev.quma.core.store.Keys;
import dev.quma.core.store.SlotBatches;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the change streams the store appends to: one per mesh (its resources) and a global one
 * (meshes and global resources), each named by its tag ({@link Keys#GLOBAL_TAG} for the global
 * one). A reader keeps a position, the id of the last entry it accounted for, and reads after it.
 *
 * <p>Streams are trimmed (the store appends with an approximate maximum length) and may be reset (a
 * Redis restarted empty). A position is <em>lost</em> when the stream may no longer hold every
 * entry after it: its reader must load what it follows anew. {@link #catchUp} and {@link
 * #lostAmong} tell it; {@link #head} is where such a reload starts reading again.
 */
public final class ChangeStream {
  /** The position of a reader that has read nothing (every entry is after it). */
  public static final String BEGINNING = "0-0";

  private final Redis redis;
  private final Keys keys;

  public ChangeStream(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** The Redis key of the stream with this tag. */
  public String key(String tag) {
    return keys.events(tag);
  }

  /** Up to {@code count} events of a mesh's stream after {@code afterId}. */
  public Uni<List<ChangeEvent>> readMesh(String mesh, String afterId, int count) {
    return redis.send(range(mesh, afterId, count)).map(ChangeStream::parse);
  }

  /** Up to {@code count} events of the global stream after {@code afterId}. */
  public Uni<List<ChangeEvent>> readGlobal(String afterId, int count) {
    return readMesh(Keys.GLOBAL_TAG, afterId, count);
  }

  /**
   * The id of the newest entry of a stream, or {@link #BEGINNING} when it is empty: read it before
   * loading what the stream describes, and follow from it, so that no change falls between.
   */
  public Uni<String> head(String tag) {
    return redis.send(newest(tag)).map(r -> firstId(r, BEGINNING));
  }

  /**
   * What happened after {@code position}: up to {@code limit} events, or that the position is lost.
   * One round trip; the stream's bounds are read after its events, so a position found not lost was
   * not lost when the events were read either.
   */
  public Uni<CatchUp> catchUp(String tag, String position, int limit) {
    return SlotBatches.batch(redis, List.of(range(tag, position, limit), oldest(tag), newest(tag)))
        .map(
            replies -> {
              if (lost(position, firstId(replies.get(1), null), firstId(replies.get(2), null))) {
                return new CatchUp(true, List.of(), position, false);
              }
              List<ChangeEvent> events = parse(replies.get(0));
              String last = events.isEmpty() ? position : events.get(events.size() - 1).id();
              return new CatchUp(false, events, last, events.size() >= limit);
            });
  }

  /**
   * The result of {@link #catchUp}.
   *
   * @param lost the position is lost: load anew (from {@link #head}); no events then
   * @param position where the reader is after these events
   * @param more the read stopped at the limit: there may be more after {@code position}
   */
  public record CatchUp(boolean lost, List<ChangeEvent> events, String position, boolean more) {}

  /** The tags (of {@code positions}, tag to position) whose position is lost, in one round trip. */
  public Uni<Set<String>> lostAmong(Map<String, String> positions) {
    if (positions.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    Map<String, String> ordered = new LinkedHashMap<>(positions);
    List<Request> bounds = new ArrayList<>(2 * ordered.size());
    ordered.keySet().forEach(tag -> bounds.addAll(List.of(oldest(tag), newest(tag))));
    return SlotBatches.batch(redis, bounds)
        .map(
            replies -> {
              Set<String> lost = new LinkedHashSet<>();
              int i = 0;
              for (Map.Entry<String, String> entry : ordered.entrySet()) {
                String oldest = firstId(replies.get(i++), null);
                String newest = firstId(replies.get(i++), null);
                if (lost(entry.getValue(), oldest, newest)) {
                  lost.add(entry.getKey());
                }
              }
              return lost;
            });
  }

  /**
   * Whether a stream whose oldest and newest entries are these (null: it is empty) may be missing
   * entries after {@code position}: it is gone or restarted with lower ids (reset), or its oldest
   * entry is newer than the position (trimmed past it, or reset and written again).
   */
  static boolean lost(String position, String oldest, String newest) {
    if (newest == null) {
      return !BEGINNING.equals(position);
    }
    return StreamIds.compare(newest, position) < 0 || StreamIds.compare(oldest, position) > 0;
  }

  /** Events of an XRANGE or XREAD answer for one stream ([id, [field, value, ...]] entries). */
  public static List<ChangeEvent> parse(Response entries) {
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

  private Request range(String tag, String afterId, int count) {
    return Request.cmd(Command.XRANGE)
        .arg(key(tag))
        .arg("(" + afterId)
        .arg("+")
        .arg("COUNT")
        .arg(count);
  }

  private Request oldest(String tag) {
    return Request.cmd(Command.XRANGE).arg(key(tag)).arg("-").arg("+").arg("COUNT").arg(1);
  }

  private Request newest(String tag) {
    return Request.cmd(Command.XREVRANGE).arg(key(tag)).arg("+").arg("-").arg("COUNT").arg(1);
  }

  private static String firstId(Response entries, String ifEmpty) {
    return entries == null || entries.size() == 0 ? ifEmpty : entries.get(0).get(0).toString();
  }
}
