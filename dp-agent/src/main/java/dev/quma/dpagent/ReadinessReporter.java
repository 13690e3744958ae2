package dev.quma.dpagent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Kuma's readiness reporter: HTTP on loopback ({@code KUMA_READINESS_PORT}, 9902 by default) that
 * answers 200 {@code READY} while Envoy is live (its admin {@code /ready} says so) and 503 once the
 * agent is draining, from the first SIGTERM on. The control plane asks Envoy to health-check it
 * over HDS (the {@code kuma:readiness} cluster), so a draining proxy leaves its consumers'
 * endpoints before Envoy stops.
 */
final class ReadinessReporter implements AutoCloseable {
  static final String ADDRESS = "127.0.0.1";

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final URI envoyReady;
  private volatile boolean draining;

  private ReadinessReporter(HttpServer server, ExecutorService executor, int envoyAdminPort) {
    this.server = server;
    this.executor = executor;
    this.envoyReady = URI.create("http://" + ADDRESS + ":" + envoyAdminPort + "/ready");
  }

  /** Listens on {@code port}; a port in use is one clear error naming the setting to change. */
  static ReadinessReporter start(int port, int envoyAdminPort) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ADDRESS), port), 16);
    } catch (IOException e) {
      String why =
          e instanceof BindException
              ? "the port is in use (another agent's reporter or an Envoy admin port?); pass"
                  + " --readiness-port (KUMA_READINESS_PORT) with a free port, or 0 to turn it off"
              : e.getMessage();
      throw new AgentException(
          ExitCodes.READINESS_PORT_IN_USE,
          "the readiness reporter cannot listen on " + ADDRESS + ":" + port + ": " + why);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    ReadinessReporter reporter = new ReadinessReporter(server, executor, envoyAdminPort);
    server.createContext("/", reporter::answer);
    server.setExecutor(executor);
    server.start();
    return reporter;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** From now on the proxy is not ready: it is leaving. */
  void draining() {
    draining = true;
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "only GET\n");
        return;
      }
      if (draining) {
        send(exchange, 503, "DRAINING\n");
      } else if (envoyLive()) {
        send(exchange, 200, "READY\n");
      } else {
        send(exchange, 503, "NOT READY\n");
      }
    }
  }

  private boolean envoyLive() {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(envoyReady).timeout(Duration.ofSeconds(1)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    http.close();
  }
}
