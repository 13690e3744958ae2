package dev.quma.api.testing;

import dev.quma.envoysim.XdsChannels;
import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalRedis;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The rest of a control plane around the api-service under test, each in its own process as in
 * production: a Redis of the test's own, an xds-service replica ({@code xds-service}, the name it
 * has under {@code bin/run}, so that the GUI's screenshot shows what a user sees) and a
 * lifecycle-worker with short durations (idle timeout 5 s). More xDS replicas can be started (and
 * killed) by the tests. Needs the packaged jars: the reactor builds them before this module's
 * tests.
 */
public class ControlPlaneProcesses implements QuarkusTestResourceLifecycleManager {
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final List<AutoCloseable> RUNNING = new ArrayList<>();
  private static LocalRedis redis;
  private static Replica first;

  /** An xds-service replica: its process and a gRPC channel to it. */
  public record Replica(String id, ServiceProcess process, ManagedChannel channel) {
    /** Ends the replica the hard way (SIGKILL): its streams' subscriptions stay open in Redis. */
    public void kill() {
      ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
      channel.shutdownNow();
    }
  }

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    first = startReplica("xds-service");
    withRetries(
        () -> {
          int port = LocalRedis.freePort();
          return run(
              new ServiceSpec(
                  "lifecycle-worker",
                  jar("lifecycle-worker"),
                  port,
                  "lifecycle worker",
                  Map.of(
                      "QUMA_LIFECYCLE_HTTP_PORT", String.valueOf(port),
                      "KUMA_METRICS_DATAPLANE_IDLE_TIMEOUT", IDLE_TIMEOUT.toMillis() + "ms",
                      "KUMA_RUNTIME_UNIVERSAL_DATAPLANE_CLEANUP_AGE", "1h",
                      "QUMA_LIFECYCLE_SWEEP_INTERVAL", "300ms",
                      "QUMA_LIFECYCLE_LEASE_TTL", "2s",
                      "QUMA_LIFECYCLE_LEASE_RENEW_EVERY", "500ms")));
        });
    return Map.of("quma.redis.url", redis.url());
  }

  /** The replica started with the control plane. */
  public static Replica xds() {
    return first;
  }

  /** Another xds-service replica on the same Redis. */
  public static Replica startReplica(String id) {
    int[] grpcPort = new int[1];
    ServiceProcess process =
        withRetries(
            () -> {
              grpcPort[0] = LocalRedis.freePort();
              int httpPort = LocalRedis.freePort();
              return run(
                  new ServiceSpec(
                      id,
                      jar("xds-service"),
                      httpPort,
                      "xDS replica",
                      Map.of(
                          "QUMA_XDS_PORT",
                          String.valueOf(grpcPort[0]),
                          "QUMA_XDS_HTTP_PORT",
                          String.valueOf(httpPort),
                          "QUMA_XDS_INSTANCE_ID",
                          id,
                          "QUMA_XDS_DEREGISTRATION_DELAY",
                          "500ms",
                          "QUMA_XDS_HEARTBEAT_INTERVAL",
                          "500ms",
                          "QUMA_XDS_STATS_FLUSH_INTERVAL",
                          "100ms",
                          "QUMA_TLS_DIR",
                          tlsDir(id).toString())));
            });
    // Over TLS, trusting the control plane's CA, as Envoy does.
    ManagedChannel channel =
        XdsChannels.tls("localhost", grpcPort[0], tlsDir(id).resolve("ca.crt"));
    RUNNING.add(channel::shutdownNow);
    return new Replica(id, process, channel);
  }

  private static java.nio.file.Path tlsDir(String replica) {
    return java.nio.file.Path.of("target", "tls-" + replica).toAbsolutePath();
  }

  /**
   * Starts a process until it is ready, three tries at most: a port found free may be taken by
   * another process of this busy machine before the service binds it.
   */
  private static ServiceProcess withRetries(Supplier<ServiceProcess> starter) {
    IllegalStateException failure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      ServiceProcess process = starter.get();
      try {
        process.awaitReady(Duration.ofSeconds(60));
        return process;
      } catch (IllegalStateException e) {
        failure = e;
        process.close();
        RUNNING.remove(process);
      }
    }
    throw failure;
  }

  private static ServiceProcess run(ServiceSpec spec) {
    ServiceProcess process =
        ServiceProcess.start(
            spec,
            Path.of(System.getProperty("java.home")),
            Map.of("QUMA_REDIS_URL", redis.url()),
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
            System.out);
    RUNNING.add(process);
    return process;
  }

  private static Path jar(String module) {
    Path jar = HOME.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing: build the reactor (mvn verify from the root, or -pl api-service -am)");
    }
    return jar;
  }

  @Override
  public void stop() {
    for (int i = RUNNING.size() - 1; i >= 0; i--) {
      try {
        RUNNING.get(i).close();
      } catch (Exception e) {
        // already gone
      }
    }
    RUNNING.clear();
    if (redis != null) {
      redis.close();
    }
  }
}
