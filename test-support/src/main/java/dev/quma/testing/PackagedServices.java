package dev.quma.testing;

import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalRedis;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The packaged services of this checkout, each in a process of its own on one Redis, as they run in
 * production. The tests that start several services share this one way of doing it. The jars come
 * from the reactor build ({@code target/quarkus-app/quarkus-run.jar} of each module).
 */
public final class PackagedServices implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  private static final int ATTEMPTS = 3;

  private final String redisUrl;
  private final List<String> jvmOptions;
  private final List<AutoCloseable> running = new ArrayList<>();

  /** Services on {@code redisUrl}, with a small heap and quick start-up (C1 only). */
  public PackagedServices(String redisUrl) {
    this(redisUrl, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
  }

  public PackagedServices(String redisUrl, List<String> jvmOptions) {
    this.redisUrl = redisUrl;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** The two ports a service is given: the one it serves on and its HTTP (health) port. */
  public record Ports(int serving, int http) {}

  /** A started, ready service: its process, its ports and what it printed so far. */
  public record Started(ServiceProcess process, Ports ports, StringBuffer output) {
    /** Ends the process the hard way (SIGKILL), as a crash would. */
    public void kill() {
      ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * Starts {@code module}'s jar as {@code name} with the environment {@code environment} gives for
   * two free ports, and waits until it is ready. A port found free may be taken by another process
   * of a busy machine before the service binds it, so a start that fails is tried again on new
   * ports, three times at most.
   */
  public Started start(
      String name, String module, Function<Ports, Map<String, String>> environment) {
    Path jar = jar(module);
    return ServiceProcess.startUntilReady(
        ATTEMPTS,
        READY_WITHIN,
        () -> {
          Ports ports = new Ports(LocalRedis.freePort(), LocalRedis.freePort());
          StringBuffer output = new StringBuffer();
          ServiceProcess process =
              ServiceProcess.start(
                  new ServiceSpec(name, jar, ports.http(), name, environment.apply(ports)),
                  Path.of(System.getProperty("java.home")),
                  Map.of("QUMA_REDIS_URL", redisUrl),
                  jvmOptions,
                  tee(output));
          running.add(process);
          return new Started(process, ports, output);
        },
        Started::process,
        failed -> running.remove(failed.process()));
  }

  /** Closes {@code resource} with the services, before them (last added, first closed). */
  public <T extends AutoCloseable> T closeWithServices(T resource) {
    running.add(resource);
    return resource;
  }

  /** The packaged jar of {@code module}; fails with what to do when it has not been built. */
  public static Path jar(String module) {
    Path jar = repositoryRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build the reactor first (bin/test, or mvn verify from the root)");
    }
    return jar;
  }

  /** The checkout's root: the nearest directory above the working one that holds mesh-core. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("mesh-core"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "not inside a Quma checkout: " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** Stops everything started, in reverse order: SIGTERM, then SIGKILL after 20 s. */
  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        // already gone
      }
    }
    running.clear();
  }

  /** The console, and a copy kept for the test to read. */
  private static PrintStream tee(StringBuffer copy) {
    return new PrintStream(
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] bytes, int offset, int length) {
            System.out.write(bytes, offset, length);
            copy.append(new String(bytes, offset, length, StandardCharsets.UTF_8));
          }

          @Override
          public void flush() {
            System.out.flush();
          }
        },
        true);
  }
}
