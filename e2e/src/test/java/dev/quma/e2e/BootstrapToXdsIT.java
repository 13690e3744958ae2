package dev.quma.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quma.core.model.Labels;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.dpagent.DpAgent;
import dev.quma.e2e.testing.JoinTier;
import dev.quma.envoyrules.EnvoyRules;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.envoysim.XdsChannels;
import dev.quma.testing.SeedDataplanes;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole join, with the packaged services as processes sharing one Redis: the agent fetches a
 * bootstrap from bootstrap-service over HTTPS (trusting the CA it wrote), and an Envoy configured
 * from that bootstrap alone (node id, resource, token, xDS address, the CA to trust, Delta ADS)
 * reaches xds-service over TLS, is admitted, registered (Direct) and configured.
 */
class BootstrapToXdsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void anEnvoyConfiguredByTheBootstrapJoinsThroughTheXdsTier() throws Exception {
    JoinTier tier = JoinTier.start(dir, Map.of());
    closeables.add(tier);
    ResourceStore store = tier.store();
    Path token = tier.tokenFile("default", "redis-1");

    StringWriter err = new StringWriter();
    int code =
        DpAgent.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true),
            "run",
            "--cp-address=" + tier.bootstrapAddress(),
            "--ca-cert-file=" + tier.bootstrapCa(),
            "--dataplane-file=" + SeedDataplanes.file(SeedDataplanes.REDIS_FILE, dir),
            "--dataplane-token-file=" + token,
            "--config-dir=" + dir.resolve("config"),
            "--bootstrap-only");
    assertThat(code).as(err.toString()).isZero();

    // What Envoy would read from the bootstrap, and only that.
    JsonNode bootstrap = new YAMLMapper().readTree(dir.resolve("config/bootstrap.yaml").toFile());
    JsonNode ads = bootstrap.at("/dynamicResources/adsConfig");
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
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder(bootstrap.at("/node/id").asText())
            .service(bootstrap.at("/node/cluster").asText())
            .dataplaneResource(bootstrap.at("/node/metadata/dataplane.resource").asText())
            .token(ads.at("/grpcServices/0/initialMetadata/0/value").asText())
            .mode(
                ads.get("apiType").asText().equals("DELTA_GRPC")
                    ? SimulatedEnvoy.Mode.DELTA
                    : SimulatedEnvoy.Mode.SOTW)
            .build();
    envoy.connect(channel);
    closeables.add(envoy);

    assertThat(envoy.await(WAIT, envoy::configured))
        .as("configured; stream status %s", envoy.closedWith())
        .isTrue();
    assertHoldsValidConfig(envoy);
    assertThat(envoy.listeners()).containsKey("inbound:192.168.0.1:9000");
    assertThat(envoy.clusters()).containsKey("localhost:6379");
    Resource<?> registered =
        store.get(ResourceType.DATAPLANE, "default", "redis-1").await().atMost(WAIT);
    assertThat(Labels.isDirect(registered)).as("registered by the xDS tier (Direct)").isTrue();
  }

  /** What the Envoy holds once configured is one whole push: it must pass Envoy's rules. */
  private static void assertHoldsValidConfig(SimulatedEnvoy envoy) {
    List<com.google.protobuf.Message> held = new ArrayList<>(envoy.listeners().values());
    held.addAll(envoy.clusters().values());
    held.addAll(envoy.endpoints().values());
    assertThat(EnvoyRules.checkPush(held)).as("Envoy's rules").isEmpty();
  }
}
