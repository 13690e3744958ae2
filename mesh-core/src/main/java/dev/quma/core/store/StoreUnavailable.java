package dev.quma.core.store;

import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Tells a failure of the store itself (Redis unreachable, the connection lost, Redis still loading
 * its data) from every other failure: the edges answer it with 503 and {@code Retry-After}, and log
 * it once per outage instead of once per request.
 */
public final class StoreUnavailable {
  // Redis' own refusals while it cannot serve: loading its data, a replica without its primary,
  // too few replicas for a write (also a WAIT short of them, LuaScript.ReplicasShort), and a
  // cluster's moved slots and read-only replicas while it fails over (a batch is not redirected).
  private static final String[] REDIS_STATES = {
    "LOADING", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "MOVED", "ASK", "READONLY"
  };
  // How Vert.x names the failed command of a batch: "ERR [2] MOVED 1234 127.0.0.1:7001".
  private static final java.util.regex.Pattern BATCH_INDEX =
      java.util.regex.Pattern.compile("^ERR \\[\\d+\\] ");

  private StoreUnavailable() {}

  public static boolean is(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof ConnectException
          || e instanceof ClosedChannelException
          || e instanceof SocketException) {
        return true;
      }
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (isRedisState(message) || isLostConnection(e, message)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRedisState(String message) {
    message = BATCH_INDEX.matcher(message).replaceFirst("");
    for (String state : REDIS_STATES) {
      if (message.startsWith(state + " ") || message.equals(state)) {
        return true;
      }
    }
    return false;
  }

  /** Vert.x' own words for a connection that went away or could not be had. */
  private static boolean isLostConnection(Throwable e, String message) {
    String name = e.getClass().getName();
    if (!name.startsWith("io.vertx.") && !name.startsWith("io.netty.")) {
      return false;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    return lower.contains("connection is closed")
        || lower.contains("connection closed")
        || lower.contains("connection_closed") // the Redis client's error for what was in flight
        || lower.contains("closedchannelexception") // its "ERR [0] ...ClosedChannelException"
        || lower.contains("connection refused")
        || lower.contains("connection reset")
        || lower.contains("connection pool");
  }
}
