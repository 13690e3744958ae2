package dev.quma.envoysim.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The few endpoints of Envoy's admin API that a dataplane agent uses: {@code /ready}, {@code
 * /server_info}, {@code POST /drain_listeners} and {@code POST /quitquitquit}. Like Envoy, it
 * refuses the mutating ones on GET.
 */
final class AdminServer implements AutoCloseable {
  /** What the admin API reports; Envoy's server states. */
  enum State {
    INITIALIZING,
    LIVE,
    DRAINING
  }

  private final HttpServer server;
  private volatile boolean draining;

  AdminServer(String address, int port, String nodeId, Supplier<Boolean> configured, Runnable quit)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, port), 16);
    Supplier<State> state =
        () -> draining ? State.DRAINING : configured.get() ? State.LIVE : State.INITIALIZING;
    server.createContext(
        "/ready",
        exchange -> {
          State now = state.get();
          respond(exchange, now == State.LIVE ? 200 : 503, now + "\n");
        });
    server.createContext(
        "/server_info",
        exchange ->
            respond(
                exchange,
                200,
                "{\"version\":\"standin/1.31.2/Clean/RELEASE/none\",\"state\":\""
                    + state.get()
                    + "\",\"node\":{\"id\":\""
                    + nodeId.replace("\"", "\\\"")
                    + "\"}}\n"));
    server.createContext(
        "/drain_listeners",
        exchange -> {
          if (refusedGet(exchange)) {
            return;
          }
          draining = true;
          System.out.println("[envoy-standin] draining listeners");
          respond(exchange, 200, "OK\n");
        });
    server.createContext(
        "/quitquitquit",
        exchange -> {
          if (refusedGet(exchange)) {
            return;
          }
          respond(exchange, 200, "OK\n");
          quit.run();
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  boolean draining() {
    return draining;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static boolean refusedGet(HttpExchange exchange) throws IOException {
    if (exchange.getRequestMethod().equals("POST")) {
      return false;
    }
    respond(exchange, 405, "This endpoint requires POST\n");
    return true;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
