package dev.quma.dpagent;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running Envoy, and the graceful way to stop it: drain the listeners through the admin API (the
 * proxy turns unready and asks clients to go elsewhere), wait the drain time, then stop it.
 */
public final class EnvoyProcess {
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Process process;
  private final int adminPort;
  private final PrintWriter log;

  private EnvoyProcess(Process process, int adminPort, PrintWriter log) {
    this.process = process;
    this.adminPort = adminPort;
    this.log = log;
  }

  public static EnvoyProcess start(
      Path binary, Path bootstrap, int adminPort, Duration drainTime, PrintWriter log) {
    List<String> command =
        List.of(
            binary.toString(),
            "--config-path",
            bootstrap.toString(),
            "--drain-time-s",
            Long.toString(Math.max(1, drainTime.toSeconds())),
            "--disable-hot-restart");
    try {
      Process process = new ProcessBuilder(command).inheritIO().start();
      log.println("dp-agent: started Envoy " + binary + " (pid " + process.pid() + ")");
      return new EnvoyProcess(process, adminPort, log);
    } catch (IOException e) {
      throw new AgentException(
          ExitCodes.ENVOY_FAILED, "cannot start Envoy " + binary + ": " + e.getMessage());
    }
  }

  /** Waits up to {@code timeout}; the exit code if Envoy exited, else null. */
  public Integer waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** Drains, waits {@code drainTime}, stops Envoy (forcibly if it does not stop in time). */
  public void leave(Duration drainTime) throws InterruptedException {
    drainListeners();
    log.println("dp-agent: draining for " + drainTime.toMillis() + " ms");
    if (process.waitFor(drainTime.toMillis(), TimeUnit.MILLISECONDS)) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      log.println("dp-agent: Envoy did not stop in " + STOP_GRACE.toSeconds() + "s; killing it");
      process.destroyForcibly();
      process.waitFor();
    }
    log.println("dp-agent: Envoy stopped");
  }

  private void drainListeners() throws InterruptedException {
    URI drain = URI.create("http://127.0.0.1:" + adminPort + "/drain_listeners?graceful");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(drain)
                  .timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      log.println("dp-agent: asked Envoy to drain its listeners (" + response.statusCode() + ")");
    } catch (IOException e) {
      // Still wait and stop: a proxy whose admin is gone cannot drain, but must not linger.
      log.println(
          "dp-agent: could not ask Envoy to drain ("
              + drain
              + "): "
              + (e instanceof java.net.ConnectException
                  ? "its admin refused the connection (Envoy has stopped?)"
                  : e.getMessage() == null ? "no answer" : e.getMessage()));
    }
  }
}
