package dev.quma.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Labels;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.dpagent.DpAgent;
import dev.quma.envoyrules.EnvoyRules;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.envoysim.XdsChannels;
import dev.quma.local.LocalRedis;
import dev.quma.testing.PackagedServices;
import dev.quma.testing.SeedDataplanes;
import io.grpc.ManagedChannel;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    LocalRedis redisServer = LocalRedis.startEphemeral();
    closeables.add(redisServer);
    Vertx vertx = Vertx.vertx();
    closeables.add(vertx::closeAndAwait);
    Redis redis = Redis.createClient(vertx, redisServer.url());
    closeables.add(redis::close);
    ResourceStore store = new ResourceStore(redis, StoreSettings.DEFAULTS);
    store
        .create(
            new Resource<>(
                ResourceMeta.of(ResourceType.MESH, null, "default", Map.of()), Mesh.EMPTY))
        .await()
        .atMost(WAIT);
    SigningKeyManager keys =
        new SigningKeyManager(store, new ChangeStream(redis, store.keys()), Optional.empty());
    Path token = dir.resolve("token");
    Files.writeString(
        token,
        ProxyTokens.issue(keys, "default", "redis-1", Duration.ofHours(1)).await().atMost(WAIT));

    PackagedServices services = new PackagedServices(redisServer.url());
    closeables.add(services);
    int xdsPort =
        services
            .start(
                "xds-service",
                "xds-service",
                ports ->
                    Map.of(
                        "QUMA_XDS_PORT", String.valueOf(ports.serving()),
                        "QUMA_XDS_HTTP_PORT", String.valueOf(ports.http()),
                        "QUMA_TLS_DIR", dir.resolve("xds-tls").toString()))
            .ports()
            .serving();
    int bootstrapPort =
        services
            .start(
                "bootstrap-service",
                "bootstrap-service",
                ports ->
                    Map.of(
                        "QUMA_BOOTSTRAP_PORT", String.valueOf(ports.serving()),
                        "QUMA_BOOTSTRAP_MANAGEMENT_PORT", String.valueOf(ports.http()),
                        "QUMA_BOOTSTRAP_XDS_HOST", "localhost",
                        "QUMA_BOOTSTRAP_XDS_PORT", String.valueOf(xdsPort),
                        "QUMA_TLS_DIR", dir.resolve("bootstrap-tls").toString()))
            .ports()
            .serving();

    StringWriter err = new StringWriter();
    int code =
        DpAgent.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true),
            "run",
            "--cp-address=https://localhost:" + bootstrapPort,
            "--ca-cert-file=" + dir.resolve("bootstrap-tls/ca.crt"),
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
