package dev.quma.xds.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.dump.ConfigDumpReply;
import dev.quma.core.dump.ConfigDumpRequest;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.config.XdsConfig;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.testing.JudgingCache;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The config dump over the real request/reply path (a request published on this replica's channel,
 * the answer BLPOPed from its reply list) for simulated Envoys over real gRPC: it lists exactly
 * what the proxy acknowledged, and after a NACK the rejected version with Envoy's message.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
class ConfigDumpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLUSTERS_DUMP =
      "type.googleapis.com/envoy.admin.v3.ClustersConfigDump";
  private static final String LISTENERS_DUMP =
      "type.googleapis.com/envoy.admin.v3.ListenersConfigDump";
  private static final String ENDPOINTS_DUMP =
      "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump";

  @Inject ProxySnapshots snapshots;
  @Inject ResourceStore store;
  @Inject InsightReader insights;
  @Inject Redis redis;
  @Inject XdsConfig config;
  @Inject ChangeStream changes;

  private ManagedChannel channel;
  private final List<SimulatedEnvoy> envoys = new ArrayList<>();

  @BeforeEach
  void meshAndChannel() {
    await(
        store
            .create(Seeds.defaultMesh())
            .onFailure(ResourceConflictException.class)
            .recoverWithNull());
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", XdsTestResources.grpcPort())
            .usePlaintext()
            .build();
  }

  @AfterEach
  void disconnect() {
    envoys.forEach(SimulatedEnvoy::drop);
    channel.shutdownNow();
  }

  @Test
  void theDumpListsExactlyWhatTheProxyAcknowledged() throws Exception {
    join("redis-c1", Seeds.redis("redis-c1", "10.20.0.1"), SimulatedEnvoy.Mode.SOTW, u -> false);
    SimulatedEnvoy backend =
        join(
            "backend-c1",
            Seeds.backend("backend-c1", "10.20.0.2"),
            SimulatedEnvoy.Mode.SOTW,
            u -> false);
    assertThat(backend.await(WAIT, () -> !backend.endpointAddresses("redis").isEmpty())).isTrue();

    // The proxy holds the endpoints a moment before the replica has read its ACK.
    JsonNode dump = dump("backend-c1", true);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!names(
                config(dump, ENDPOINTS_DUMP).get("dynamic_endpoint_configs"),
                "endpoint_config",
                "cluster_name")
            .equals(backend.endpoints().keySet())
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
      dump = dump("backend-c1", true);
    }

    JsonNode clusters = config(dump, CLUSTERS_DUMP);
    assertThat(names(clusters.get("dynamic_active_clusters"), "cluster", "name"))
        .isEqualTo(backend.clusters().keySet());
    assertThat(clusters.get("version_info").asText())
        .isEqualTo(backend.acceptedVersion(SimulatedEnvoy.CLUSTERS));
    JsonNode firstCluster = clusters.get("dynamic_active_clusters").get(0);
    assertThat(firstCluster.get("client_status").asText()).isEqualTo("ACKED");
    assertThat(firstCluster.get("last_updated").asText()).endsWith("Z");
    assertThat(firstCluster.get("cluster").get("@type").asText())
        .isEqualTo("type.googleapis.com/envoy.config.cluster.v3.Cluster");

    JsonNode listeners = config(dump, LISTENERS_DUMP);
    assertThat(names(listeners.get("dynamic_listeners"), "active_state", "listener", "name"))
        .isEqualTo(backend.listeners().keySet());
    assertThat(listeners.toString())
        .as("typed configs inside the listeners are resolved")
        .contains("envoy.extensions.filters.network.http_connection_manager.v3");

    JsonNode endpoints = config(dump, ENDPOINTS_DUMP);
    assertThat(names(endpoints.get("dynamic_endpoint_configs"), "endpoint_config", "cluster_name"))
        .isEqualTo(backend.endpoints().keySet());
    assertThat(dump("backend-c1", false).get("configs").toString())
        .as("endpoints only when asked for, as Envoy's include_eds")
        .doesNotContain("EndpointsConfigDump");

    JsonNode stream = dump.get("quma");
    assertThat(stream.get("controlPlaneInstanceId").asText()).isEqualTo(config.instanceId());
    assertThat(stream.get("protocol").asText()).isEqualTo("SotW");
    JsonNode cds = type(stream, SimulatedEnvoy.CLUSTERS);
    assertThat(cds.get("acknowledged").get("version").asText())
        .isEqualTo(backend.acceptedVersion(SimulatedEnvoy.CLUSTERS));
    assertThat(cds.get("acknowledged").get("nonce").asText()).isNotEmpty();
    assertThat(cds.has("lastRejected")).isFalse();
  }

  @Test
  void afterANackTheDumpShowsTheRejectedVersionAndEnvoysMessage() throws Exception {
    join("redis-c2", Seeds.redis("redis-c2", "10.21.0.1"), SimulatedEnvoy.Mode.SOTW, u -> false);
    SimulatedEnvoy picky =
        join(
            "backend-c2",
            Seeds.backend("backend-c2", "10.21.0.2"),
            SimulatedEnvoy.Mode.SOTW,
            update ->
                update.typeUrl().equals(SimulatedEnvoy.CLUSTERS)
                    && update.resources().toString().contains("kafka"));
    Set<String> accepted = new TreeSet<>(picky.clusters().keySet());
    String acceptedVersion = picky.acceptedVersion(SimulatedEnvoy.CLUSTERS);

    await(
        store.put(
            Seeds.resource(withKafkaOutbound("backend-c2", "10.21.0.2")), OptionalLong.empty()));
    assertThat(picky.await(WAIT, () -> picky.nacks(SimulatedEnvoy.CLUSTERS) == 1)).isTrue();

    JsonNode dump = eventuallyRejected("backend-c2");
    JsonNode clusters = config(dump, CLUSTERS_DUMP);
    assertThat(clusters.get("version_info").asText())
        .as("Envoy keeps the version it accepted")
        .isEqualTo(acceptedVersion);
    Set<String> active = new TreeSet<>();
    JsonNode failed = null;
    for (JsonNode cluster : clusters.get("dynamic_active_clusters")) {
      if (cluster.has("cluster")) {
        active.add(cluster.get("cluster").get("name").asText());
      }
      if (cluster.has("error_state")) {
        failed = cluster;
      }
    }
    assertThat(active).isEqualTo(accepted).doesNotContain("kafka");
    assertThat(failed).as("the cluster the rejected update would have added").isNotNull();
    JsonNode error = failed.get("error_state");
    assertThat(error.get("failed_configuration").get("name").asText()).isEqualTo("kafka");
    String rejectedVersion =
        type(dump.get("quma"), SimulatedEnvoy.CLUSTERS).get("lastRejected").get("version").asText();
    assertThat(error.get("version_info").asText()).isEqualTo(rejectedVersion);
    assertThat(error.get("details").asText())
        .isEqualTo("simulated rejection of version " + rejectedVersion);
    assertThat(failed.get("client_status").asText()).isEqualTo("NACKED");
    assertThat(rejectedVersion).isNotEqualTo(acceptedVersion);
  }

  @Test
  void aDeltaStreamIsDumpedAsTheProxyHoldsIt() throws Exception {
    join("redis-c3", Seeds.redis("redis-c3", "10.22.0.1"), SimulatedEnvoy.Mode.DELTA, u -> false);
    SimulatedEnvoy backend =
        join(
            "backend-c3",
            Seeds.backend("backend-c3", "10.22.0.2"),
            SimulatedEnvoy.Mode.DELTA,
            u -> false);
    await(
        store.put(
            Seeds.resource(withKafkaOutbound("backend-c3", "10.22.0.2")), OptionalLong.empty()));
    assertThat(backend.await(WAIT, () -> backend.clusters().containsKey("kafka"))).isTrue();

    JsonNode dump = dump("backend-c3", false);
    long deadline = System.nanoTime() + WAIT.toNanos();
    // Clusters and listeners are acknowledged one after the other: wait for both.
    while (!(names(config(dump, CLUSTERS_DUMP).get("dynamic_active_clusters"), "cluster", "name")
                .contains("kafka")
            && names(
                    config(dump, LISTENERS_DUMP).get("dynamic_listeners"),
                    "active_state",
                    "listener",
                    "name")
                .equals(backend.listeners().keySet()))
        && System.nanoTime() < deadline) {
      Thread.sleep(20); // the replica reads the ACK a moment after the proxy applied the change
      dump = dump("backend-c3", false);
    }
    assertThat(dump.get("quma").get("protocol").asText()).isEqualTo("Delta");
    assertThat(names(config(dump, CLUSTERS_DUMP).get("dynamic_active_clusters"), "cluster", "name"))
        .isEqualTo(backend.clusters().keySet());
    assertThat(
            names(
                config(dump, LISTENERS_DUMP).get("dynamic_listeners"),
                "active_state",
                "listener",
                "name"))
        .isEqualTo(backend.listeners().keySet());
  }

  @Test
  void aProxyWithoutAStreamHereIsNotFound() {
    ConfigDumpReply reply = request("nobody-here", false);
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body()).contains("\"nobody-here\"").contains(config.instanceId());
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private JsonNode eventuallyRejected(String name) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode dump = dump(name, false);
    while (!type(dump.get("quma"), SimulatedEnvoy.CLUSTERS).has("lastRejected")
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      dump = dump(name, false);
    }
    return dump;
  }

  private JsonNode dump(String name, boolean endpoints) throws Exception {
    ConfigDumpReply reply = request(name, endpoints);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return JSON.readTree(reply.body());
  }

  private ConfigDumpReply request(String name, boolean endpoints) {
    ConfigDumpRequest request =
        new ConfigDumpRequest(UUID.randomUUID().toString(), "default", name, "", endpoints);
    Response receivers =
        await(
            redis.send(
                Request.cmd(Command.PUBLISH)
                    .arg(store.keys().xdsDumpChannel(config.instanceId()))
                    .arg(request.encode())));
    assertThat(receivers.toInteger()).as("this replica listens on its channel").isEqualTo(1);
    Response popped =
        await(
            redis.send(
                Request.cmd(Command.BLPOP)
                    .arg(store.keys().xdsDumpReply("default", request.id()))
                    .arg(5)));
    assertThat(popped).as("an answer within 5 s").isNotNull();
    return ConfigDumpReply.decode(popped.get(1).toString());
  }

  private static JsonNode config(JsonNode dump, String type) {
    for (JsonNode config : dump.get("configs")) {
      if (config.get("@type").asText().equals(type)) {
        return config;
      }
    }
    throw new AssertionError("no " + type + " in " + dump);
  }

  private static JsonNode type(JsonNode stream, String typeUrl) {
    for (JsonNode type : stream.get("types")) {
      if (type.get("typeUrl").asText().equals(typeUrl)) {
        return type;
      }
    }
    throw new AssertionError("no " + typeUrl + " in " + stream);
  }

  private static Set<String> names(JsonNode items, String... path) {
    Set<String> names = new TreeSet<>();
    if (items == null) {
      return names; // protobuf JSON leaves an empty list out
    }
    for (JsonNode item : items) {
      JsonNode node = item;
      for (String field : path) {
        node = node == null ? null : node.get(field);
      }
      if (node != null) {
        names.add(node.asText());
      }
    }
    return names;
  }

  private static String withKafkaOutbound(String name, String address) {
    return Seeds.backend(name, address)
        .replace(
            "\"outbound\": [",
            "\"outbound\": [{\"port\": 10001, \"tags\": {\"kuma.io/service\": \"kafka\"}}, ");
  }

  private SimulatedEnvoy join(
      String name,
      String resource,
      SimulatedEnvoy.Mode mode,
      java.util.function.Predicate<SimulatedEnvoy.Update> rejecting) {
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder("default." + name)
            .dataplaneResource(resource)
            .mode(mode)
            .rejecting(rejecting)
            .token(
                await(
                    ProxyTokens.issue(
                        new SigningKeyManager(store, changes, Optional.empty()),
                        "default",
                        name,
                        Duration.ofHours(1))))
            .build();
    envoys.add(envoy.connect(channel));
    assertThat(envoy.await(WAIT, envoy::configured))
        .as(name + " configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }

  @AfterEach
  void everyPushPassedEnvoysRules() {
    JudgingCache.assertEveryPushValid(snapshots);
  }
}
