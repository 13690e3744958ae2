package dev.quma.api.testing;

import dev.quma.envoysim.XdsChannels;
import dev.quma.launcher.ServiceProcess;
import dev.quma.local.LocalRedis;
import dev.quma.testing.PackagedServices;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
  private static LocalRedis redis;
  private static PackagedServices services;
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
    services = new PackagedServices(redis.url());
    first = startReplica("xds-service");
    services.start(
        "lifecycle-worker",
        "lifecycle-worker",
        ports ->
            Map.of(
                "QUMA_LIFECYCLE_HTTP_PORT", String.valueOf(ports.http()),
                "KUMA_METRICS_DATAPLANE_IDLE_TIMEOUT", IDLE_TIMEOUT.toMillis() + "ms",
                "KUMA_RUNTIME_UNIVERSAL_DATAPLANE_CLEANUP_AGE", "1h",
                "QUMA_LIFECYCLE_SWEEP_INTERVAL", "300ms",
                "QUMA_LIFECYCLE_LEASE_TTL", "2s",
                "QUMA_LIFECYCLE_LEASE_RENEW_EVERY", "500ms"));
    return Map.of("quma.redis.url", redis.url());
  }

  /** The replica started with the control plane. */
  public static Replica xds() {
    return first;
  }

  /** Another xds-service replica on the same Redis. */
  public static Replica startReplica(String id) {
    PackagedServices.Started replica =
        services.start(
            id,
            "xds-service",
            ports ->
                Map.of(
                    "QUMA_XDS_PORT",
                    String.valueOf(ports.serving()),
                    "QUMA_XDS_HTTP_PORT",
                    String.valueOf(ports.http()),
                    "QUMA_XDS_INSTANCE_ID",
                    id,
                    "QUMA_XDS_DEREGISTRATION_DELAY",
                    "500ms",
                    "QUMA_XDS_HEARTBEAT_INTERVAL",
                    "500ms",
                    "QUMA_XDS_STATS_FLUSH_INTERVAL",
                    "100ms",
                    "QUMA_TLS_DIR",
                    tlsDir(id).toString()));
    // Over TLS, trusting the control plane's CA, as Envoy does.
    ManagedChannel channel =
        XdsChannels.tls("localhost", replica.ports().serving(), tlsDir(id).resolve("ca.crt"));
    services.closeWithServices(channel::shutdownNow);
    return new Replica(id, replica.process(), channel);
  }

  private static Path tlsDir(String replica) {
    return Path.of("target", "tls-" + replica).toAbsolutePath();
  }

  @Override
  public void stop() {
    if (services != null) {
      services.close();
    }
    if (redis != null) {
      redis.close();
    }
  }
}
