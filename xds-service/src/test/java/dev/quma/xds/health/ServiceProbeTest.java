package dev.quma.xds.health;

import static dev.quma.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.ProbeResults;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenClaims;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.core.tokens.TokenRevocations;
import dev.quma.envoysim.HdsClient;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.envoysim.standin.EnvoyStandIn;
import dev.quma.testing.JavaProcesses;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service probes over HDS, end to end: the stand-in Envoy as a real process, started from a
 * bootstrap with {@code hds_config}, gets its health checks over real gRPC, checks its local
 * service's port, and its reports decide whether its consumers (over ADS) see it as an endpoint.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(ServiceProbeTest.QuickReports.class)
class ServiceProbeTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  public static class QuickReports implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quma.xds.hds.interval", "100ms",
          "quma.xds.hds.refresh-interval", "200ms",
          "quma.xds.deregistration-delay", "20s");
    }
  }

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject ProbeResults probes;

  @TempDir Path dir;

  private ManagedChannel channel;
  private SigningKeyManager keys;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void channel() {
    keys = new SigningKeyManager(store, changes, Optional.empty());
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", XdsTestResources.grpcPort())
            .usePlaintext()
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    channel.shutdownNow();
  }

  @Test
  void aClosedServicePortTakesTheInboundOutOfItsConsumersEndpointsAndAnOpenOneBringsItBack()
      throws Exception {
    String mesh = mesh("probe-standin");
    ServerSocket service = listen(0);
    int servicePort = service.getLocalPort();
    SimulatedEnvoy backend = consumer(mesh);
    Process envoy = standIn(mesh, "redis-1", probed(mesh, "redis-1", "10.7.0.1", servicePort));

    awaitEndpoints(backend, List.of("10.7.0.1:9000"), envoy);

    service.close();
    awaitEndpoints(backend, List.of(), envoy);
    assertThat(await(probes.of(mesh, List.of("redis-1"))).get("redis-1").inbounds())
        .as("the stored result")
        .containsEntry(9000, false);

    listen(servicePort);
    awaitEndpoints(backend, List.of("10.7.0.1:9000"), envoy);
  }

  @Test
  void aProbedInboundIsNoEndpointBeforeItsFirstHealthyReport() {
    String mesh = mesh("probe-first");
    SimulatedEnvoy backend = consumer(mesh);
    // Its proxy is connected over ADS, but no health report came yet.
    connect(
        SimulatedEnvoy.builder(mesh + ".redis-1")
            .dataplaneResource(probed(mesh, "redis-1", "10.7.1.1", 1))
            .token(token(mesh, "redis-1")));
    connect(
        SimulatedEnvoy.builder(mesh + ".redis-2")
            .dataplaneResource(Seeds.redis(mesh, "redis-2", "10.7.1.2"))
            .token(token(mesh, "redis-2")));

    awaitEndpoints(backend, List.of("10.7.1.2:9000"), null);
    sleep(500);
    assertThat(redis(backend))
        .as("the probed inbound, still unreported")
        .containsExactly("10.7.1.2:9000");
  }

  @Test
  void aHealthStreamWithoutATokenIsRefusedAsAnAdsStreamIs() {
    HdsClient client = HdsClient.builder(Node.newBuilder().setId("default.nobody").build()).build();
    closeables.add(client);
    client.connect(channel);

    assertThat(eventually(WAIT, () -> client.closedWith() != null)).isTrue();
    assertThat(client.closedWith().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(client.specifier()).isNull();
  }

  @Test
  void aProxysOwnHealthStreamIsServedBesideItsAdsStream() {
    // One name, one proxy: the rule holds ADS streams to it, never the proxy's own HDS stream.
    String mesh = mesh("probe-own");
    String token = token(mesh, "redis-1");
    SimulatedEnvoy proxy =
        connect(
            SimulatedEnvoy.builder(mesh + ".redis-1")
                .proxyInstance("redis-1-process")
                .dataplaneResource(probed(mesh, "redis-1", "10.7.3.1", 1))
                .token(token));
    Node node =
        Node.newBuilder()
            .setId(mesh + ".redis-1")
            .setMetadata(
                com.google.protobuf.Struct.newBuilder()
                    .putFields(
                        "quma.proxyInstance",
                        com.google.protobuf.Value.newBuilder()
                            .setStringValue("redis-1-process")
                            .build()))
            .build();
    HdsClient health = HdsClient.builder(node).token(token).build();
    closeables.add(health);
    health.connect(channel);

    assertThat(eventually(WAIT, () -> health.specifier() != null))
        .as("health checks received")
        .isTrue();
    assertThat(health.closedWith()).isNull();
    assertThat(proxy.closedWith()).isNull();
  }

  @Test
  void revokingAProxysTokenEndsItsHealthStreamAsItEndsItsAdsStream() {
    String mesh = mesh("probe-revoked");
    String token = token(mesh, "redis-1");
    SimulatedEnvoy proxy =
        connect(
            SimulatedEnvoy.builder(mesh + ".redis-1")
                .dataplaneResource(probed(mesh, "redis-1", "10.7.2.1", 1))
                .token(token));
    HdsClient health =
        HdsClient.builder(Node.newBuilder().setId(mesh + ".redis-1").build()).token(token).build();
    closeables.add(health);
    health.connect(channel);
    assertThat(eventually(WAIT, () -> health.specifier() != null))
        .as("health checks received")
        .isTrue();

    await(new TokenRevocations(store).revoke(mesh, Set.of(jti(token))));

    assertThat(eventually(WAIT, () -> health.closedWith() != null))
        .as("the health stream ends with the revocation")
        .isTrue();
    assertThat(health.closedWith().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(health.closedWith().getDescription()).contains("revoked");
    assertThat(proxy.await(WAIT, () -> proxy.closedWith() != null)).isTrue();
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static String jti(String token) {
    return DataplaneTokenClaims.fromJson(Base64.getUrlDecoder().decode(token.split("\\.")[1]))
        .jti();
  }

  /** A Redis dataplane whose inbound's local service is probed by TCP every 100 ms. */
  static String probed(String mesh, String name, String address, int servicePort) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s", "inbound": [{"port": 9000, "servicePort": %d,
           "serviceAddress": "127.0.0.1",
           "serviceProbe": {"interval": "0.1s", "timeout": "0.1s", "unhealthyThreshold": 1,
             "healthyThreshold": 1, "tcp": {}},
           "tags": {"kuma.io/service": "redis"}}]}}
        """
        .formatted(mesh, name, address, servicePort);
  }

  private Process standIn(String mesh, String name, String resource) throws IOException {
    Path bootstrap = dir.resolve(name + ".yaml");
    Files.writeString(bootstrap, bootstrap(mesh, name, resource, token(mesh, name)));
    Process envoy =
        new ProcessBuilder(JavaProcesses.command(EnvoyStandIn.class, "-c", bootstrap.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    closeables.add(envoy::destroyForcibly);
    return envoy;
  }

  private static String bootstrap(String mesh, String name, String resource, String token) {
    return """
        node:
          id: %s.%s
          cluster: redis
          metadata:
            dataplane.proxyType: dataplane
            dataplane.resource: '%s'
            quma.proxyInstance: %s-process
        admin:
          address:
            socketAddress: {address: 127.0.0.1, portValue: 0}
        dynamicResources:
          adsConfig:
            apiType: GRPC
            transportApiVersion: V3
            setNodeOnFirstMessageOnly: true
            grpcServices:
            - envoyGrpc: {clusterName: ads_cluster}
              initialMetadata:
              - {key: authorization, value: '%s'}
        hdsConfig:
          apiType: GRPC
          transportApiVersion: V3
          setNodeOnFirstMessageOnly: true
          grpcServices:
          - envoyGrpc: {clusterName: ads_cluster}
            initialMetadata:
            - {key: authorization, value: '%s'}
        staticResources:
          clusters:
          - name: ads_cluster
            loadAssignment:
              clusterName: ads_cluster
              endpoints:
              - lbEndpoints:
                - endpoint:
                    address:
                      socketAddress: {address: 127.0.0.1, portValue: %d}
        """
        .formatted(
            mesh,
            name,
            resource.strip().replace("\n", " ").replace("'", "''"),
            name,
            token,
            token,
            XdsTestResources.grpcPort());
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    closeables.add(socket);
    return socket;
  }

  private String mesh(String name) {
    await(store.create(Seeds.mesh(name)));
    return name;
  }

  private SimulatedEnvoy consumer(String mesh) {
    return connect(
        SimulatedEnvoy.builder(mesh + ".backend-1")
            .dataplaneResource(Seeds.backend(mesh, "backend-1", "10.7.9.9"))
            .token(token(mesh, "backend-1")));
  }

  private SimulatedEnvoy connect(SimulatedEnvoy.Builder builder) {
    SimulatedEnvoy envoy = builder.build();
    closeables.add(envoy::drop);
    envoy.connect(channel);
    assertThat(envoy.await(WAIT, envoy::configured))
        .as("configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
  }

  private String token(String mesh, String name) {
    return await(ProxyTokens.issue(keys, mesh, name, Duration.ofHours(1)));
  }

  private static List<String> redis(SimulatedEnvoy consumer) {
    return consumer.endpointAddresses("redis");
  }

  private void awaitEndpoints(SimulatedEnvoy consumer, List<String> expected, Process envoy) {
    assertThat(consumer.await(WAIT, () -> redis(consumer).equals(expected)))
        .as(
            "endpoints %s, expected %s; stand-in said: %s",
            redis(consumer), expected, envoy == null ? "-" : log("redis-1"))
        .isTrue();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}
