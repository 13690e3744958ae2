package dev.quma.dpagent.testing;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A stand-in for Envoy in the agent's tests, run as a real process: reads {@code --config-path},
 * serves the admin API's {@code GET /ready} and {@code POST /drain_listeners} on the bootstrap's
 * admin port, and exits 0 on SIGTERM. It appends what happens to the file named by the {@code
 * STANDIN_LOG} variable.
 */
public final class StandInEnvoy {
  public static void main(String[] args) throws Exception {
    Path log = Path.of(System.getenv("STANDIN_LOG"));
    Path config = Path.of(args[List.of(args).indexOf("--config-path") + 1]);
    int adminPort =
        new YAMLMapper()
            .readTree(config.toFile())
            .at("/admin/address/socketAddress/portValue")
            .asInt();
    HttpServer admin = HttpServer.create(new InetSocketAddress("127.0.0.1", adminPort), 0);
    admin.createContext(
        "/drain_listeners",
        exchange -> {
          append(
              log,
              exchange.getRequestMethod()
                  + " drain_listeners?"
                  + exchange.getRequestURI().getQuery());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    admin.createContext(
        "/ready",
        exchange -> {
          byte[] live = "LIVE\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, live.length);
          exchange.getResponseBody().write(live);
          exchange.close();
        });
    admin.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> append(log, "terminated")));
    append(log, "started " + String.join(" ", args));
    Thread.sleep(Long.MAX_VALUE);
  }

  private static synchronized void append(Path log, String line) {
    try {
      Files.writeString(
          log,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
