package dev.quma.api;

import static dev.quma.testing.Eventually.eventually;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.api.testing.ControlPlaneProcesses;
import dev.quma.api.testing.ControlPlaneProcesses.Replica;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.stats.ReconcileReport;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.SimulatedEnvoy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator views of a running control plane: this api-service, an xds-service replica and a
 * lifecycle-worker as separate processes on one Redis, and simulated Envoys over real gRPC. The
 * counts follow proxies joining, degrading, leaving and vanishing; the config dump shows what a
 * proxy acknowledged and what it rejected. Each test has a mesh of its own.
 */
@QuarkusTest
@WithTestResource(value = ControlPlaneProcesses.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ConnectedProxiesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NONE = "";

  @Inject MeshStatsStore stats;
  @Inject ResourceStore store;
  @Inject ChangeStream changes;

  private final List<SimulatedEnvoy> envoys = new ArrayList<>();

  @AfterEach
  void disconnect() {
    envoys.forEach(SimulatedEnvoy::drop);
  }

  @Test
  void theXdsDumpShowsWhatTheProxyAcknowledgedAndWhatItRejected() throws Exception {
    createMesh("dumps");
    join(ControlPlaneProcesses.xds(), "dumps", "redis-1", redis("dumps", "redis-1", "10.7.0.1"));
    SimulatedEnvoy backend =
        join(
            ControlPlaneProcesses.xds(),
            "dumps",
            "backend-1",
            backend("dumps", "backend-1", "10.7.0.2", NONE),
            SimulatedEnvoy.Mode.SOTW,
            update ->
                update.typeUrl().equals(SimulatedEnvoy.CLUSTERS)
                    && update.resources().toString().contains("kafka"));
    assertThat(backend.await(WAIT, () -> !backend.endpointAddresses("redis").isEmpty())).isTrue();

    // The proxy holds the endpoints a moment before its replica has read the ACK.
    JsonNode[] acked = new JsonNode[1];
    assertThat(
            eventually(
                WAIT,
                () -> {
                  acked[0] = xds("dumps", "backend-1", true);
                  return names(
                          config(acked[0], "EndpointsConfigDump").get("dynamic_endpoint_configs"),
                          "endpoint_config",
                          "cluster_name")
                      .equals(backend.endpoints().keySet());
                }))
        .isTrue();
    JsonNode dump = acked[0];
    JsonNode clusters = config(dump, "ClustersConfigDump");
    assertThat(names(clusters.get("dynamic_active_clusters"), "cluster", "name"))
        .isEqualTo(backend.clusters().keySet())
        .contains("redis");
    assertThat(clusters.get("version_info").asText())
        .isEqualTo(backend.acceptedVersion(SimulatedEnvoy.CLUSTERS));
    assertThat(
            names(
                config(dump, "ListenersConfigDump").get("dynamic_listeners"),
                "active_state",
                "listener",
                "name"))
        .isEqualTo(backend.listeners().keySet());
    assertThat(
            names(
                config(dump, "EndpointsConfigDump").get("dynamic_endpoint_configs"),
                "endpoint_config",
                "cluster_name"))
        .isEqualTo(backend.endpoints().keySet());
    assertThat(dump.get("quma").get("controlPlaneInstanceId").asText()).isEqualTo("xds-service");

    // An outbound to kafka: the proxy rejects the clusters that would carry it.
    given()
        .contentType(ContentType.JSON)
        .body(backend("dumps", "backend-1", "10.7.0.2", "kafka"))
        .put("/meshes/dumps/dataplanes/backend-1")
        .then()
        .statusCode(200);
    assertThat(backend.await(WAIT, () -> backend.nacks(SimulatedEnvoy.CLUSTERS) == 1)).isTrue();
    JsonNode[] rejected = new JsonNode[1];
    assertThat(
            eventually(
                WAIT,
                () -> {
                  rejected[0] = xds("dumps", "backend-1", false);
                  return type(rejected[0], SimulatedEnvoy.CLUSTERS).has("lastRejected");
                }))
        .isTrue();
    JsonNode nack = type(rejected[0], SimulatedEnvoy.CLUSTERS).get("lastRejected");
    assertThat(nack.get("message").asText())
        .isEqualTo("simulated rejection of version " + nack.get("version").asText());
    JsonNode kafka = null;
    Set<String> active = new TreeSet<>();
    for (JsonNode cluster :
        config(rejected[0], "ClustersConfigDump").get("dynamic_active_clusters")) {
      if (cluster.has("cluster")) {
        active.add(cluster.get("cluster").get("name").asText());
      }
      if (cluster.has("error_state")) {
        kafka = cluster.get("error_state");
      }
    }
    assertThat(active).isEqualTo(backend.clusters().keySet()).doesNotContain("kafka");
    assertThat(kafka).isNotNull();
    assertThat(kafka.get("failed_configuration").get("name").asText()).isEqualTo("kafka");
    assertThat(kafka.get("version_info").asText()).isEqualTo(nack.get("version").asText());
    assertThat(kafka.get("details").asText()).isEqualTo(nack.get("message").asText());

    backend.leave();
    assertThat(
            eventually(
                WAIT,
                () -> given().get("/meshes/dumps/dataplanes/backend-1/xds").statusCode() == 404))
        .as("a proxy that left has no config to show")
        .isTrue();
  }

  @Test
  void countsFollowProxiesJoiningDegradingAndLeaving() {
    createMesh("fleet");
    Replica xds = ControlPlaneProcesses.xds();
    join(xds, "fleet", "web-1", standard("fleet", "web-1", "10.8.0.1", true));
    SimulatedEnvoy leaving = envoys.get(envoys.size() - 1);
    join(xds, "fleet", "web-2", standard("fleet", "web-2", "10.8.0.2", true));
    join(xds, "fleet", "edge-1", builtinGateway("fleet", "edge-1", "10.8.0.3"));

    assertThat(
            eventually(WAIT, () -> insight("fleet").path("dataplanes").path("online").asInt() == 3))
        .isTrue();
    JsonNode joined = insight("fleet");
    assertThat(joined.at("/dataplanes/total").asInt()).isEqualTo(3);
    assertThat(joined.at("/dataplanesByType/standard/online").asInt()).isEqualTo(2);
    assertThat(joined.at("/dataplanesByType/gatewayBuiltin/online").asInt()).isEqualTo(1);
    assertThat(joined.at("/dataplanesByType/gateway/total").asInt()).isEqualTo(1);
    assertThat(joined.at("/dpVersions/envoy/1.31.2/online").asInt()).isEqualTo(3);
    assertThat(joined.at("/dpVersions/kumaDp/unknown/total").asInt()).isEqualTo(3);
    assertThat(joined.at("/services/internal").asInt()).as("web, web-admin, edge").isEqualTo(3);

    // web-2's admin inbound goes not ready (its agent rewrites its dataplane).
    given()
        .contentType(ContentType.JSON)
        .body(standard("fleet", "web-2", "10.8.0.2", false))
        .put("/meshes/fleet/dataplanes/web-2")
        .then()
        .statusCode(200);
    assertThat(
            eventually(
                WAIT, () -> insight("fleet").at("/dataplanes/partiallyDegraded").asInt() == 1))
        .isTrue();
    assertThat(insight("fleet").at("/dataplanes/online").asInt()).isEqualTo(2);

    // web-1 leaves gracefully: a Direct dataplane is deregistered.
    leaving.leave();
    assertThat(eventually(WAIT, () -> insight("fleet").at("/dataplanes/total").asInt() == 2))
        .isTrue();
    given().get("/meshes/fleet/dataplanes/web-1").then().statusCode(404);

    // An Indirect dataplane: created through the API, then its proxy comes and goes.
    given()
        .contentType(ContentType.JSON)
        .body(standard("fleet", "api-1", "10.8.0.4", true).replace("\"web\"", "\"api\""))
        .put("/meshes/fleet/dataplanes/api-1")
        .then()
        .statusCode(201);
    assertThat(insight("fleet").at("/dataplanes/offline").asInt()).isEqualTo(1);
    SimulatedEnvoy indirect = join(xds, "fleet", "api-1", null);
    assertThat(eventually(WAIT, () -> insight("fleet").at("/dataplanes/online").asInt() == 2))
        .isTrue();
    indirect.drop();
    assertThat(eventually(WAIT, () -> insight("fleet").at("/dataplanes/offline").asInt() == 1))
        .isTrue();
    JsonNode after = insight("fleet");
    assertThat(after.at("/dataplanes/total").asInt())
        .as("an Indirect dataplane stays")
        .isEqualTo(3);
    assertThat(after.at("/services/internal").asInt()).isEqualTo(4);

    assertGlobalIsTheSumOfTheMeshes();
    ReconcileReport recount = stats.reconcile("fleet", 2).await().atMost(WAIT);
    assertThat(recount.outcome())
        .as("the counters kept by the writers equal a full recount")
        .isEqualTo(ReconcileReport.Outcome.SAME);
    assertThat(recount.corrected()).isZero();
  }

  @Test
  void theDataplaneOfAConnectedProxyIsDeletedOnlyWithForceWhichEndsItsStream() {
    // Issue 15, item 7: DELETE answered 200 and left the stream open on a dataplane that no
    // longer existed.
    createMesh("leases");
    SimulatedEnvoy proxy =
        join(
            ControlPlaneProcesses.xds(),
            "leases",
            "redis-1",
            redis("leases", "redis-1", "10.6.0.1"));
    assertThat(
            eventually(
                WAIT,
                () -> given().delete("/meshes/leases/dataplanes/redis-1").statusCode() == 409))
        .as("refused while the proxy is connected")
        .isTrue();
    given()
        .delete("/meshes/leases/dataplanes/redis-1")
        .then()
        .statusCode(409)
        .body("title", org.hamcrest.Matchers.equalTo("Could not delete a resource"))
        .body("detail", org.hamcrest.Matchers.containsString("connected right now"))
        .body("invalid_parameters[0].field", org.hamcrest.Matchers.equalTo("name"));
    given()
        .delete("/meshes/leases/dataplanes/redis-1?force=yes")
        .then()
        .statusCode(400)
        .body("invalid_parameters[0].field", org.hamcrest.Matchers.equalTo("force"));
    given().get("/meshes/leases/dataplanes/redis-1").then().statusCode(200);
    assertThat(proxy.closedWith()).isNull();

    given().delete("/meshes/leases/dataplanes/redis-1?force=true").then().statusCode(200);

    assertThat(proxy.await(WAIT, () -> proxy.closedWith() != null))
        .as("the xDS replica ends the stream of the deleted dataplane")
        .isTrue();
    assertThat(proxy.closedWith().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    given().get("/meshes/leases/dataplanes/redis-1").then().statusCode(404);
  }

  @Test
  void aMeshWithAConnectedProxyCannotBeDeleted() {
    createMesh("busy");
    join(ControlPlaneProcesses.xds(), "busy", "redis-1", redis("busy", "redis-1", "10.6.1.1"));
    assertThat(eventually(WAIT, () -> insight("busy").at("/dataplanes/online").asInt() == 1))
        .isTrue();

    given()
        .delete("/meshes/busy")
        .then()
        .statusCode(409)
        .body("detail", org.hamcrest.Matchers.containsString("1 connected proxy"));
    given().get("/meshes/busy").then().statusCode(200);
  }

  @Test
  void aMeshIsHeldByTheSameConnectedRuleAsItsDataplanes() {
    // Issue 15: the mesh counted a recent heartbeat alone, so a proxy whose replica had died still
    // held it, while its dataplane could already be deleted without force.
    createMesh("orphan");
    given()
        .contentType(ContentType.JSON)
        .body(standard("orphan", "orphan-1", "10.9.1.1", true))
        .put("/meshes/orphan/dataplanes/orphan-1")
        .then()
        .statusCode(201);
    Replica doomed = ControlPlaneProcesses.startReplica("xds-o");
    join(doomed, "orphan", "orphan-1", null);
    assertThat(eventually(WAIT, () -> insight("orphan").at("/dataplanes/online").asInt() == 1))
        .isTrue();
    given()
        .delete("/meshes/orphan")
        .then()
        .statusCode(409)
        .body("detail", org.hamcrest.Matchers.containsString("1 connected proxy"));

    doomed.kill();
    // The replica's own heartbeat decides (the config dump's 404 comes sooner: no one answers).
    assertThat(eventually(WAIT, () -> !xdsReplica("xds-o").path("online").asBoolean(true)))
        .as("the replica holding the stream is gone")
        .isTrue();
    // Its heartbeat is recent, but its replica's ran out: connected for neither delete.
    given()
        .delete("/meshes/orphan")
        .then()
        .statusCode(409)
        .body("detail", org.hamcrest.Matchers.containsString("still has 1 dataplane"));
    given().delete("/meshes/orphan/dataplanes/orphan-1").then().statusCode(200);
    given().delete("/meshes/orphan").then().statusCode(200);
  }

  @Test
  void aProxyWhoseReplicaDiesGoesOfflineAfterTheIdleTimeoutAndTheReplicaShowsOffline() {
    createMesh("batch");
    given()
        .contentType(ContentType.JSON)
        .body(standard("batch", "batch-1", "10.9.0.1", true))
        .put("/meshes/batch/dataplanes/batch-1")
        .then()
        .statusCode(201);
    Replica doomed = ControlPlaneProcesses.startReplica("xds-b");
    join(doomed, "batch", "batch-1", null);
    assertThat(eventually(WAIT, () -> insight("batch").at("/dataplanes/online").asInt() == 1))
        .isTrue();
    assertThat(eventually(WAIT, () -> xdsReplica("xds-b").path("online").asBoolean()))
        .as("xds-b is listed online by its heartbeat")
        .isTrue();
    assertThat(xdsReplica("xds-b").path("meshes").toString()).isEqualTo("[\"batch\"]");

    doomed.kill();
    assertThat(eventually(WAIT, () -> !xdsReplica("xds-b").path("online").asBoolean(true)))
        .as("xds-b is listed offline once its last heartbeat runs out")
        .isTrue();
    assertThat(xdsReplica("xds-b").path("heartbeatHoldsUntil").asText()).isNotBlank();
    assertThat(
            eventually(
                WAIT,
                () -> given().get("/meshes/batch/dataplanes/batch-1/xds").statusCode() == 404))
        .as("the replica holding the stream is gone")
        .isTrue();
    assertThat(eventually(WAIT, () -> insight("batch").at("/dataplanes/offline").asInt() == 1))
        .as("marked offline by the lifecycle worker after %s", ControlPlaneProcesses.IDLE_TIMEOUT)
        .isTrue();
    assertThat(insight("batch").at("/dataplanes/online").asInt()).isZero();
    assertThat(stats.reconcile("batch", 10).await().atMost(WAIT).outcome())
        .isEqualTo(ReconcileReport.Outcome.SAME);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** The replica's item in {@code GET /_xds-replicas}, or a missing node when it is not listed. */
  private static JsonNode xdsReplica(String id) {
    JsonNode listed =
        json(given().get("/_xds-replicas").then().statusCode(200).extract().asString());
    assertThat(listed.path("total").asInt()).isEqualTo(listed.path("items").size());
    for (JsonNode item : listed.path("items")) {
      if (item.path("instanceId").asText().equals(id)) {
        return item;
      }
    }
    return JSON.missingNode();
  }

  /**
   * The global insight equals the sum of the mesh insights (read one after the other; retried while
   * a proxy of an earlier test is still being deregistered between the two reads).
   */
  private void assertGlobalIsTheSumOfTheMeshes() {
    String[] difference = {""};
    boolean equal =
        eventually(
            WAIT,
            () -> {
              JsonNode global = json(given().get("/global-insight").then().extract().asString());
              JsonNode meshes =
                  json(given().get("/mesh-insights?size=100").then().extract().asString());
              difference[0] = "";
              for (String kind : List.of("standard", "gatewayBuiltin", "gatewayDelegated")) {
                for (String count : List.of("total", "online", "offline", "partiallyDegraded")) {
                  int sum = 0;
                  for (JsonNode mesh : meshes.get("items")) {
                    sum += mesh.at("/dataplanesByType/" + kind + "/" + count).asInt();
                  }
                  int summed = global.at("/dataplanes/" + kind + "/" + count).asInt();
                  if (summed != sum) {
                    difference[0] += kind + " " + count + ": " + summed + " != " + sum + "; ";
                  }
                }
              }
              if (global.at("/meshes/total").asInt() != meshes.get("total").asInt()) {
                difference[0] += "meshes differ";
              }
              return difference[0].isEmpty();
            });
    assertThat(equal).as(difference[0]).isTrue();
  }

  private static JsonNode insight(String mesh) {
    return json(given().get("/mesh-insights/" + mesh).then().statusCode(200).extract().asString());
  }

  private static JsonNode xds(String mesh, String name, boolean endpoints) {
    String body =
        given()
            .get("/meshes/" + mesh + "/dataplanes/" + name + "/xds?include_eds=" + endpoints)
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .extract()
            .asString();
    return json(body);
  }

  private static JsonNode config(JsonNode dump, String type) {
    for (JsonNode config : dump.get("configs")) {
      if (config.get("@type").asText().endsWith("." + type)) {
        return config;
      }
    }
    throw new AssertionError("no " + type + " in " + dump);
  }

  private static JsonNode type(JsonNode dump, String typeUrl) {
    for (JsonNode type : dump.get("quma").get("types")) {
      if (type.get("typeUrl").asText().equals(typeUrl)) {
        return type;
      }
    }
    throw new AssertionError("no " + typeUrl + " in " + dump.get("quma"));
  }

  private static Set<String> names(JsonNode items, String... path) {
    Set<String> names = new TreeSet<>();
    if (items == null) {
      return names; // protobuf JSON leaves an empty list out
    }
    for (JsonNode item : items) {
      JsonNode node = item;
      for (String field : path) {
        node = node.path(field);
      }
      if (!node.isMissingNode()) {
        names.add(node.asText());
      }
    }
    return names;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static void createMesh(String name) {
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"" + name + "\"}")
        .put("/meshes/" + name)
        .then()
        .statusCode(201);
  }

  private SimulatedEnvoy join(Replica replica, String mesh, String name, String resource) {
    return join(replica, mesh, name, resource, SimulatedEnvoy.Mode.SOTW, update -> false);
  }

  private SimulatedEnvoy join(
      Replica replica,
      String mesh,
      String name,
      String resource,
      SimulatedEnvoy.Mode mode,
      Predicate<SimulatedEnvoy.Update> rejecting) {
    SimulatedEnvoy.Builder builder =
        SimulatedEnvoy.builder(mesh + "." + name)
            .mode(mode)
            .rejecting(rejecting)
            .token(
                ProxyTokens.issue(
                        new SigningKeyManager(store, changes, Optional.empty()),
                        mesh,
                        name,
                        Duration.ofHours(1))
                    .await()
                    .atMost(WAIT));
    if (resource != null) {
      builder.dataplaneResource(resource);
    }
    SimulatedEnvoy envoy = builder.build();
    envoys.add(envoy.connect(replica.channel()));
    assertThat(envoy.await(WAIT, envoy::configured))
        .as(name + " configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
  }

  private static String redis(String mesh, String name, String address) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s", "inbound": [{"port": 9000, "servicePort": 6379,
           "tags": {"kuma.io/service": "redis"}}]}}
        """
        .formatted(mesh, name, address);
  }

  private static String backend(String mesh, String name, String address, String extraOutbound) {
    String extra =
        extraOutbound.isEmpty()
            ? ""
            : "{\"port\": 10001, \"tags\": {\"kuma.io/service\": \"" + extraOutbound + "\"}}, ";
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s",
           "inbound": [{"port": 8000, "servicePort": 80,
             "tags": {"kuma.io/service": "backend", "kuma.io/protocol": "http"}}],
           "outbound": [%s{"port": 10000, "tags": {"kuma.io/service": "redis"}}]}}
        """
        .formatted(mesh, name, address, extra);
  }

  /** Two inbounds (web and its admin port); {@code adminReady}: the admin one's health. */
  private static String standard(String mesh, String name, String address, boolean adminReady) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s",
           "inbound": [{"port": 8080, "tags": {"kuma.io/service": "web"}},
                       {"port": 8081, "health": {"ready": %s}, "tags": {"kuma.io/service": "web-admin"}}]}}
        """
        .formatted(mesh, name, address, adminReady);
  }

  private static String builtinGateway(String mesh, String name, String address) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s",
           "gateway": {"type": "BUILTIN", "tags": {"kuma.io/service": "edge"}}}}
        """
        .formatted(mesh, name, address);
  }
}
