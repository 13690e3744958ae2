package dev.quma.xds.insights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Keys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what the xDS tier knows into Kuma-shaped dataplane insights: a subscription is opened when
 * a stream is admitted, its counters are flushed in batches, heartbeats refresh the lifecycle sets
 * in one script per mesh, and the subscription is closed when the stream ends. Each step is one Lua
 * script, so several replicas (and the lifecycle sweep) never overwrite each other's subscriptions.
 */
public final class InsightWriter {
  private static final int SUBSCRIPTIONS_KEPT = 10;
  private static final Script OPEN = Script.load("open-subscription.lua");
  private static final Script UPDATE = Script.load("update-subscription.lua");
  private static final Script CLOSE = Script.load("close-subscription.lua");
  private static final Script HEARTBEAT = Script.load("heartbeat.lua");

  private final Redis redis;
  private final Keys keys;
  private final ObjectMapper json = ResourceCodec.instance().json();

  public InsightWriter(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Opens the session's subscription; false when the dataplane no longer exists. */
  public Uni<Boolean> open(StreamSession session, Instant now) {
    String mesh = session.key().mesh();
    String name = session.key().name();
    Request request =
        OPEN.eval(
            List.of(
                keys.record(ResourceType.DATAPLANE, mesh, name),
                keys.insight(mesh, name),
                keys.lastSeen(mesh),
                keys.online(mesh)),
            List.of(
                write(session.subscription(null)),
                String.valueOf(now.toEpochMilli()),
                name,
                String.valueOf(SUBSCRIPTIONS_KEPT)));
    return redis.send(request).map(r -> r.toInteger() == 1);
  }

  /**
   * Writes the counters of every session that changed since the last flush, in one pipeline.
   * Returns the sessions whose subscription was closed by someone else: they need a new one.
   */
  public Uni<List<StreamSession>> flush(Collection<StreamSession> sessions) {
    List<StreamSession> dirty = new ArrayList<>();
    List<Request> requests = new ArrayList<>();
    for (StreamSession session : sessions) {
      if (!session.takeDirty()) {
        continue;
      }
      String mesh = session.key().mesh();
      String name = session.key().name();
      dirty.add(session);
      requests.add(
          UPDATE.eval(
              List.of(keys.record(ResourceType.DATAPLANE, mesh, name), keys.insight(mesh, name)),
              List.of(session.subscriptionId(), write(session.subscription(null).status()))));
    }
    if (requests.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return redis
        .batch(requests)
        .map(
            responses -> {
              List<StreamSession> closed = new ArrayList<>();
              for (int i = 0; i < responses.size(); i++) {
                if (responses.get(i).toInteger() == 2) {
                  closed.add(dirty.get(i));
                }
              }
              return closed;
            });
  }

  /**
   * Refreshes the heartbeat of every connected proxy; returns those that fell out of the online
   * set.
   */
  public Uni<List<StreamSession>> heartbeat(Collection<StreamSession> sessions, Instant now) {
    Map<String, Map<String, StreamSession>> byMesh = new HashMap<>();
    for (StreamSession session : sessions) {
      byMesh
          .computeIfAbsent(session.key().mesh(), m -> new HashMap<>())
          .put(session.key().name(), session);
    }
    List<Request> requests = new ArrayList<>();
    List<String> meshes = new ArrayList<>();
    byMesh.forEach(
        (mesh, named) -> {
          List<String> args = new ArrayList<>();
          args.add(String.valueOf(now.toEpochMilli()));
          args.addAll(named.keySet());
          requests.add(HEARTBEAT.eval(List.of(keys.lastSeen(mesh), keys.online(mesh)), args));
          meshes.add(mesh);
        });
    if (requests.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return redis
        .batch(requests)
        .map(
            responses -> {
              List<StreamSession> lost = new ArrayList<>();
              for (int i = 0; i < responses.size(); i++) {
                Map<String, StreamSession> named = byMesh.get(meshes.get(i));
                for (Response name : responses.get(i)) {
                  StreamSession session = named.get(name.toString());
                  if (session != null) {
                    lost.add(session);
                  }
                }
              }
              return lost;
            });
  }

  /** Closes the session's subscription at {@code now}. */
  public Uni<Void> close(StreamSession session, Instant now) {
    String mesh = session.key().mesh();
    String name = session.key().name();
    var subscription = session.subscription(now);
    Request request =
        CLOSE.eval(
            List.of(keys.insight(mesh, name), keys.online(mesh)),
            List.of(session.subscriptionId(), now.toString(), write(subscription.status()), name));
    return redis.send(request).replaceWithVoid();
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A script sent with EVAL (Redis caches it by its hash); simple and robust across Redis restarts.
   */
  private record Script(String source) {
    static Script load(String name) {
      try (InputStream in = InsightWriter.class.getResourceAsStream(name)) {
        return new Script(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Request eval(List<String> keys, List<String> args) {
      Request request = Request.cmd(Command.EVAL).arg(source).arg(keys.size());
      keys.forEach(request::arg);
      args.forEach(request::arg);
      return request;
    }
  }
}
