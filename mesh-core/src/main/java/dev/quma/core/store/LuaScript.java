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
 *
 * <p>Keys and arguments are passed by name ({@link Call}): a script reads them as {@code K.name}
 * and {@code A.name}. A prologue put in front of every script builds those two tables from the
 * names, which travel as the first two arguments; a key a run does not need is simply not passed
 * (its {@code K} entry is nil), and Redis still sees every key a run touches in {@code KEYS} (on a
 * cluster they must share one hash slot).
 */
public final class LuaScript {
  /**
   * ARGV[1]: the keys' names, ARGV[2]: the arguments' names (space-separated); a last argument name
   * ending in {@code ...} takes every remaining value, as a list.
   */
  private static final String PROLOGUE =
      """
      local K, A = {}, {}
      do
        local i = 0
        for name in string.gmatch(ARGV[1], '[^ ]+') do i = i + 1; K[name] = KEYS[i] end
        i = 2
        for name in string.gmatch(ARGV[2], '[^ ]+') do
          if string.sub(name, -3) == '...' then
            local rest = {}
            for j = i + 1, #ARGV do rest[#rest + 1] = ARGV[j] end
            A[string.sub(name, 1, -4)] = rest
          else
            i = i + 1; A[name] = ARGV[i]
          end
        end
      end
      """;

  private final String source;
  private final String sha;

  private LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /**
   * A script read from resources beside {@code owner}; several resources are joined in order, so
   * that a library or a guard can be put in front of a shared body (Lua allows a {@code return} at
   * any point of a part, and a later part may declare the same locals again).
   */
  public static LuaScript load(Class<?> owner, String... resources) {
    StringBuilder source = new StringBuilder(PROLOGUE);
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
  public Uni<Response> run(Redis redis, Call call) {
    return redis
        .send(request(Command.EVALSHA, sha, call))
        .onFailure(LuaScript::isNoScript)
        .recoverWithUni(() -> redis.send(request(Command.EVAL, source, call)));
  }

  /**
   * One run, answered once {@code replicas} has it too: the script and a {@code WAIT} go in one
   * batch, so that both reach the same connection (WAIT counts the replicas that have every write
   * of its own connection; on a cluster the batch goes to the master of the script's slot). Fewer
   * replicas than asked within the timeout fail the run with {@link ReplicasShort}.
   */
  public Uni<Response> run(Redis redis, Call call, WriteReplicas replicas) {
    if (!replicas.waits()) {
      return run(redis, call);
    }
    return runAndWait(redis, request(Command.EVALSHA, sha, call), replicas)
        .onFailure(LuaScript::isNoScript)
        .recoverWithUni(() -> runAndWait(redis, request(Command.EVAL, source, call), replicas));
  }

  private static Uni<Response> runAndWait(Redis redis, Request run, WriteReplicas replicas) {
    Request wait =
        Request.cmd(Command.WAIT)
            .arg(replicas.replicas())
            .arg(Math.max(1, replicas.timeout().toMillis()));
    return redis
        .batch(List.of(run, wait))
        .onFailure(LuaScript::reachedAReplica)
        .transform(ReplicaReached::new)
        .map(
            replies -> {
              long confirmed = replies.get(1).toLong();
              if (confirmed < replicas.replicas()) {
                throw new ReplicasShort(confirmed, replicas);
              }
              return replies.get(0);
            });
  }

  /** Whether a batch met a replica: the cluster is failing over, and the slot map is stale. */
  private static boolean reachedAReplica(Throwable e) {
    return e.getMessage() != null && e.getMessage().contains("cannot be used with replica");
  }

  /**
   * A write and its WAIT that reached a replica (a slot map from before a failover): the write was
   * refused there. Its message starts as Redis' own "try again" does, so that it is answered as the
   * store being unavailable for the moment (503).
   */
  public static final class ReplicaReached extends RuntimeException {
    ReplicaReached(Throwable cause) {
      super("TRYAGAIN the write reached a replica (the cluster is failing over)", cause);
    }
  }

  /**
   * A write that fewer replicas than asked confirmed in time. Its message starts as Redis' own
   * refusal does when it lacks replicas ({@code NOREPLICAS}), so that it is answered as the store
   * being unavailable (503 with Retry-After).
   */
  public static final class ReplicasShort extends RuntimeException {
    ReplicasShort(long confirmed, WriteReplicas asked) {
      super(
          "NOREPLICAS the write reached "
              + confirmed
              + " of "
              + asked.replicas()
              + " replicas within "
              + asked.timeout().toMillis()
              + " ms (it was applied on the master)");
    }
  }

  /**
   * Several runs pipelined (each run stays atomic on its own), one batch per hash slot of their
   * first keys. Replies come in the order of {@code calls}. After a NOSCRIPT a batch is sent again
   * with EVAL (which loads the script on that node): a missing script means none of its runs
   * happened, and on a cluster each node has a script cache of its own.
   */
  public Uni<List<Response>> runAll(Redis redis, List<Call> calls) {
    return SlotBatches.bySlot(
        calls,
        call -> call.keys.isEmpty() ? SlotBatches.NO_KEY : SlotBatches.slot(call.keys.get(0)),
        group ->
            redis
                .batch(requests(Command.EVALSHA, sha, group))
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> redis.batch(requests(Command.EVAL, source, group))));
  }

  private static List<Request> requests(Command command, String script, List<Call> calls) {
    List<Request> requests = new ArrayList<>(calls.size());
    for (Call call : calls) {
      requests.add(request(command, script, call));
    }
    return requests;
  }

  /** The keys and arguments of one run, by name, in the order added. */
  public static final class Call {
    private final List<String> keyNames = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final StringBuilder argNames = new StringBuilder();
    private final List<String> args = new ArrayList<>();
    private boolean restTaken;

    public Call key(String name, String key) {
      keyNames.add(checked(name));
      keys.add(key);
      return this;
    }

    public Call arg(String name, Object value) {
      if (restTaken) {
        throw new IllegalStateException("no argument can follow a rest list");
      }
      argNames.append(argNames.isEmpty() ? "" : " ").append(checked(name));
      args.add(String.valueOf(value));
      return this;
    }

    /** The last argument: a list of values, {@code A.name} in the script. */
    public Call rest(String name, List<String> values) {
      argNames.append(argNames.isEmpty() ? "" : " ").append(checked(name)).append("...");
      args.addAll(values);
      restTaken = true;
      return this;
    }

    private static String checked(String name) {
      if (name.isEmpty() || name.contains(" ") || name.contains(".")) {
        throw new IllegalArgumentException("not a script name: \"" + name + "\"");
      }
      return name;
    }
  }

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().contains("NOSCRIPT");
  }

  private static Request request(Command command, String script, Call call) {
    Request request = Request.cmd(command).arg(script).arg(call.keys.size());
    call.keys.forEach(request::arg);
    request.arg(String.join(" ", call.keyNames)).arg(call.argNames.toString());
    call.args.forEach(request::arg);
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
