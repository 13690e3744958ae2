package dev.quma.core.store;

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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run with EVALSHA, falling back to EVAL (or SCRIPT LOAD) after a Redis restart
 * emptied the script cache. Services load their own scripts with {@link #load(Class, String...)}.
 */
public final class LuaScript {
  private final String source;
  private final String sha;

  private LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** A script of this package (a resource beside this class). */
  static LuaScript load(String resource) {
    return load(LuaScript.class, resource);
  }

  /**
   * A script read from resources beside {@code owner}; several resources are joined in order, so
   * that a guard can be put in front of a shared body (Lua allows a {@code return} at any point of
   * the first part, and a later part may declare the same locals again).
   */
  public static LuaScript load(Class<?> owner, String... resources) {
    StringBuilder source = new StringBuilder();
    for (String resource : resources) {
      try (InputStream in = owner.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing script " + resource + " beside " + owner);
        }
        source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new LuaScript(source.toString());
  }

  /** One run of the script. */
  public Uni<Response> run(Redis redis, List<String> keys, List<String> args) {
    return redis
        .send(request(Command.EVALSHA, sha, keys, args))
        .onFailure(LuaScript::isNoScript)
        .recoverWithUni(() -> redis.send(request(Command.EVAL, source, keys, args)));
  }

  /**
   * Several runs pipelined in one round trip (each run stays atomic on its own). Replies come in
   * the order of {@code calls}. After a NOSCRIPT the script is loaded and the whole pipeline sent
   * again: a missing script means none of its runs happened.
   */
  public Uni<List<Response>> runAll(Redis redis, List<Call> calls) {
    if (calls.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Request> requests = new ArrayList<>(calls.size());
    for (Call call : calls) {
      requests.add(request(Command.EVALSHA, sha, call.keys(), call.args()));
    }
    return redis
        .batch(requests)
        .onFailure(LuaScript::isNoScript)
        .recoverWithUni(
            () ->
                redis
                    .send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source))
                    .flatMap(loaded -> redis.batch(requests)));
  }

  /** The keys and arguments of one run. */
  public record Call(List<String> keys, List<String> args) {}

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().contains("NOSCRIPT");
  }

  private static Request request(
      Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
