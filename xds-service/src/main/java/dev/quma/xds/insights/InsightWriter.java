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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
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
  private static final int HEARTBEATS_PER_SCRIPT = 500;
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
    return send(request).map(r -> r.toInteger() == 1);
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
    return batch(requests)
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
          // Bounded scripts: Redis runs one at a time, so no call may hold it for long.
          List<String> names = new ArrayList<>(named.keySet());
          for (int from = 0; from < names.size(); from += HEARTBEATS_PER_SCRIPT) {
            List<String> args = new ArrayList<>();
            args.add(String.valueOf(now.toEpochMilli()));
            args.addAll(names.subList(from, Math.min(names.size(), from + HEARTBEATS_PER_SCRIPT)));
            requests.add(HEARTBEAT.eval(List.of(keys.lastSeen(mesh), keys.online(mesh)), args));
            meshes.add(mesh);
          }
        });
    if (requests.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return batch(requests)
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
    return send(request).replaceWithVoid();
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Uni<Response> send(Request request) {
    return redis
        .send(request)
        .onFailure(InsightWriter::unknownScript)
        .recoverWithUni(() -> loadScripts().flatMap(x -> redis.send(request)));
  }

  private Uni<List<Response>> batch(List<Request> requests) {
    return redis
        .batch(requests)
        .onFailure(InsightWriter::unknownScript)
        .recoverWithUni(() -> loadScripts().flatMap(x -> redis.batch(requests)));
  }

  private Uni<Void> loadScripts() {
    return redis
        .batch(
            List.of(
                OPEN.loadRequest(),
                UPDATE.loadRequest(),
                CLOSE.loadRequest(),
                HEARTBEAT.loadRequest()))
        .replaceWithVoid();
  }

  private static boolean unknownScript(Throwable error) {
    return error.getMessage() != null && error.getMessage().contains("NOSCRIPT");
  }

  /**
   * A Lua script run by its SHA-1 (EVALSHA), so that only its hash travels with each call. Redis
   * learns it with SCRIPT LOAD the first time it is missing, and again after a restart (NOSCRIPT).
   */
  private record Script(String source, String sha) {
    static Script load(String name) {
      try (InputStream in = InsightWriter.class.getResourceAsStream(name)) {
        String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        byte[] digest =
            MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
        return new Script(source, HexFormat.of().formatHex(digest));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    Request eval(List<String> keys, List<String> args) {
      Request request = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.size());
      keys.forEach(request::arg);
      args.forEach(request::arg);
      return request;
    }

    Request loadRequest() {
      return Request.cmd(Command.SCRIPT).arg("LOAD").arg(source);
    }
  }
}
