package dev.quma.e2e;

import static dev.quma.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quma.dpagent.DpAgent;
import dev.quma.e2e.testing.JoinTier;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.envoysim.XdsChannels;
import dev.quma.envoysim.standin.EnvoyStandIn;
import dev.quma.local.LocalRedis;
import dev.quma.testing.JavaProcesses;
import dev.quma.testing.SeedDataplanes;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real {@code dp-agent} running the stand-in Envoy, with the packaged xds-service and
 * bootstrap-service as processes: the agent's readiness reporter turns 503 at once, Envoy's next
 * health report (HDS) marks the proxy unready, and a consumer loses the endpoint while Envoy is
 * still draining; only then does Envoy stop.
 */
class ReadinessDrainIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration DRAIN = Duration.ofSeconds(4);

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void aDrainingProxyLeavesItsConsumersEndpointsBeforeEnvoyStops() throws Exception {
    JoinTier tier =
        JoinTier.start(
            dir,
            Map.of(
                // Envoy reports every 200 ms and checks the reporter every 100 ms.
                "KUMA_DP_SERVER_HDS_INTERVAL",
                "200ms",
                "KUMA_DP_SERVER_HDS_CHECK_INTERVAL",
                "100ms",
                "KUMA_DP_SERVER_HDS_CHECK_TIMEOUT",
                "500ms"));
    closeables.add(tier);
    Path token = tier.tokenFile("default", "redis-1");

    int readinessPort = LocalRedis.freePort();
    Path output = dir.resolve("agent.out");
    Process agent =
        new ProcessBuilder(
                JavaProcesses.command(
                    DpAgent.class,
                    "run",
                    "--cp-address=" + tier.bootstrapAddress(),
                    "--ca-cert-file=" + tier.bootstrapCa(),
                    "--dataplane-file=" + SeedDataplanes.file(SeedDataplanes.REDIS_FILE, dir),
                    "--dataplane-token-file=" + token,
                    "--config-dir=" + dir.resolve("config"),
                    "--binary-path=" + JavaProcesses.script(dir, "envoy", EnvoyStandIn.class),
                    "--admin-port=" + LocalRedis.freePort(),
                    "--readiness-port=" + readinessPort,
                    "--drain-time=" + DRAIN.toSeconds() + "s"))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    closeables.add(agent::destroyForcibly);
    assertThat(eventually(WAIT, () -> readiness(readinessPort).equals("200 READY")))
        .as("the reporter is ready once Envoy is; agent said: %s", read(output))
        .isTrue();

    SimulatedEnvoy backend = consumer(tier, dir.resolve("config/bootstrap.yaml"));
    assertThat(backend.await(WAIT, () -> redis(backend).equals(List.of("192.168.0.1:9000"))))
        .as("the consumer sees redis-1; agent said: %s", read(output))
        .isTrue();

    agent.destroy(); // SIGTERM
    long signalled = System.nanoTime();
    assertThat(eventually(WAIT, () -> readiness(readinessPort).equals("503 DRAINING")))
        .as("the reporter turns unready at once")
        .isTrue();
    assertThat(backend.await(WAIT, () -> redis(backend).isEmpty()))
        .as("the consumer loses the draining proxy; agent said: %s", read(output))
        .isTrue();
    Duration lost = Duration.ofNanos(System.nanoTime() - signalled);
    assertThat(read(output)).as("Envoy still runs").doesNotContain("[envoy-standin] stopping");
    assertThat(lost).as("lost before the drain time is over").isLessThan(DRAIN);

    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).as(read(output)).isZero();
    assertThat(read(output)).contains("[envoy-standin] stopping", "dp-agent: Envoy stopped");
  }

  /** A consumer of redis, trusting the xDS tier's CA as the agent's bootstrap does. */
  private SimulatedEnvoy consumer(JoinTier tier, Path agentBootstrap) throws Exception {
    JsonNode bootstrap = new YAMLMapper().readTree(agentBootstrap.toFile());
    JsonNode xds =
        bootstrap.at(
            "/staticResources/clusters/0/loadAssignment/endpoints/0/lbEndpoints/0/endpoint/address/socketAddress");
    Path trustedCa = dir.resolve("trusted-ca.pem");
    Files.writeString(
        trustedCa,
        bootstrap
            .at(
                "/staticResources/clusters/0/transportSocket/typedConfig/commonTlsContext/validationContext/trustedCa/inlineString")
            .asText());
    ManagedChannel channel =
        XdsChannels.tls(xds.get("address").asText(), xds.get("portValue").asInt(), trustedCa);
    closeables.add(channel::shutdownNow);
    String resource =
        """
        {"type": "Dataplane", "mesh": "default", "name": "backend-1",
         "networking": {"address": "192.168.0.2",
           "inbound": [{"port": 8000, "servicePort": 80, "tags": {"kuma.io/service": "backend"}}],
           "outbound": [{"port": 10000, "tags": {"kuma.io/service": "redis"}}]}}
        """;
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder("default.backend-1")
            .dataplaneResource(resource)
            .token(tier.token("default", "backend-1"))
            .build();
    envoy.connect(channel);
    closeables.add(envoy);
    assertThat(envoy.await(WAIT, envoy::configured)).as("stream %s", envoy.closedWith()).isTrue();
    return envoy;
  }

  private static List<String> redis(SimulatedEnvoy consumer) {
    return consumer.endpointAddresses("redis");
  }

  private static String readiness(int port) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body().strip();
    } catch (Exception e) {
      return "unreachable";
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return "(unreadable)";
    }
  }
}
