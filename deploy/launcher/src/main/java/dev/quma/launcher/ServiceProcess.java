package dev.quma.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A service running as its own JVM process. Its output is copied to the console, each line prefixed
 * with the service's name, so that one terminal shows the whole control plane.
 */
public final class ServiceProcess implements AutoCloseable {
  private final ServiceSpec spec;
  private final Process process;

  private ServiceProcess(ServiceSpec spec, Process process) {
    this.spec = spec;
    this.process = process;
  }

  public static ServiceProcess start(
      ServiceSpec spec,
      Path javaHome,
      Map<String, String> environment,
      List<String> jvmOptions,
      PrintStream console) {
    if (!Files.isRegularFile(spec.jar())) {
      throw new IllegalStateException(
          spec.jar() + " is missing: build first (bin/run does: mvn -DskipTests package)");
    }
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin/java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(spec.jar().toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(spec.environment());
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      ServiceProcess started = new ServiceProcess(spec, process);
      if (console != null) {
        started.copyOutput(console);
      } else {
        started.discardOutput();
      }
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + spec.name(), e);
    }
  }

  public ServiceSpec spec() {
    return spec;
  }

  public long pid() {
    return process.pid();
  }

  /** The resident memory of the process in MiB (from /proc on Linux), or -1 where unknown. */
  public long residentMib() {
    Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  /**
   * Waits until {@code /q/health/ready} answers 200, or fails when the process dies or time runs
   * out.
   */
  public Duration awaitReady(Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI ready = URI.create("http://127.0.0.1:" + spec.httpPort() + "/q/health/ready");
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            spec.name() + " exited with code " + process.exitValue() + " before it was ready");
      }
      try {
        HttpResponse<Void> response =
            client.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        spec.name() + " was not ready within " + timeout.toSeconds() + " s");
  }

  /**
   * Starts a service and waits until it is ready, {@code attempts} times at most: a port found free
   * may be taken by another process of a busy machine before the service binds it, so each attempt
   * calls {@code start} anew (for new ports). A failed attempt's process is closed and handed to
   * {@code discarded}; answers what the attempt that got ready started.
   */
  public static <T> T startUntilReady(
      int attempts,
      Duration within,
      Supplier<T> start,
      Function<T, ServiceProcess> processOf,
      Consumer<T> discarded) {
    IllegalStateException failure = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      T started = start.get();
      try {
        processOf.apply(started).awaitReady(within);
        return started;
      } catch (IllegalStateException e) {
        failure = e;
        processOf.apply(started).close();
        discarded.accept(started);
      }
    }
    throw failure;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, so the service shuts down gracefully; SIGKILL if it takes longer than 20 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void copyOutput(PrintStream console) {
    Thread copier =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  console.println("[" + spec.name() + "] " + line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            spec.name() + "-output");
    copier.setDaemon(true);
    copier.start();
  }

  private void discardOutput() {
    Thread drain =
        new Thread(
            () -> {
              try {
                process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
              } catch (IOException e) {
                // the process ended
              }
            },
            spec.name() + "-drain");
    drain.setDaemon(true);
    drain.start();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
