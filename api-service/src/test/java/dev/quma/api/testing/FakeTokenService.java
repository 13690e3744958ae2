package dev.quma.api.testing;

import com.sun.net.httpserver.HttpServer;
import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Redis of the test's own, and a stand-in for the token-service that records what reaches it
 * (method, path and query, headers, body) and answers {@code 200 {"fake":true}}: for checking what
 * the GUI's pass-through forwards, and what it does not.
 */
public class FakeTokenService implements QuarkusTestResourceLifecycleManager {
  /** One request as the token-service saw it; header names in lower case. */
  public record Seen(String method, String uri, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return values == null ? null : String.join(",", values);
    }
  }

  public static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

  /** What a GET answers. */
  public static volatile String ledger = "{\"fake\":true}";

  private LocalRedis redis;
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          Map<String, List<String>> headers = new TreeMap<>();
          exchange
              .getRequestHeaders()
              .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          SEEN.add(
              new Seen(
                  exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
          // As the token-service: everything is admin-only, and a relayed request is never local.
          boolean authorized = headers.containsKey("authorization");
          String text =
              !authorized
                  ? "{\"type\":\"/std-errors\",\"status\":401,\"title\":\"Unauthenticated\","
                      + "\"detail\":\"needs an admin\"}"
                  : exchange.getRequestMethod().equals("GET") ? ledger : "{\"fake\":true}";
          byte[] answer = text.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(authorized ? 200 : 401, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    return Map.of(
        "quma.redis.url",
        redis.url(),
        "quma.api.token-service-url",
        "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
    if (redis != null) {
      redis.close();
    }
  }
}
