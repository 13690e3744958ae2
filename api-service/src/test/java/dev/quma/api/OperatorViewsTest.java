package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quma.api.testing.CleanStore;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.InsightWriter;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.common.mapper.TypeRef;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator views over real HTTP against a real Redis, with insights written as the xDS tier
 * writes them: dataplane overviews (filters, pagination), mesh and global insights (every field,
 * counts as dataplanes come, change and go), the system endpoints, CORS.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OperatorViewsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject CleanStore clean;
  @Inject InsightWriter insights;

  @BeforeEach
  void firstStart() {
    clean.reset();
  }

  // ---- mesh insights ----------------------------------------------------------------------------

  @Test
  void aMeshInsightHasEveryObjectEvenWhenItCountsNothing() throws Exception {
    JsonNode insight = json(given().get("/mesh-insights/default").then().statusCode(200));
    ObjectNode withoutTimes = ((ObjectNode) insight.deepCopy());
    assertThat(withoutTimes.remove("creationTime").asText()).endsWith("Z");
    assertThat(withoutTimes.remove("modificationTime").asText()).endsWith("Z");
    String zero = "{\"total\":0,\"online\":0,\"offline\":0,\"partiallyDegraded\":0}";
    assertThat(withoutTimes)
        .isEqualTo(
            JSON.readTree(
                """
                {"type": "MeshInsight", "name": "default",
                 "dataplanes": %1$s,
                 "dataplanesByType": {"standard": %1$s, "gateway": %1$s, "gatewayBuiltin": %1$s,
                                      "gatewayDelegated": %1$s},
                 "policies": {},
                 "dpVersions": {"kumaDp": {}, "envoy": {}},
                 "mTLS": {"issuedBackends": {}, "supportedBackends": {}},
                 "services": {"total": 0, "internal": 0, "external": 0},
                 "resources": {"Dataplane": {"total": 0}, "Secret": {"total": 0}}}
                """
                    .formatted(zero)));
  }

  @Test
  void meshInsightCountsFollowDataplanesJoiningDegradingAndLeaving() {
    put("default", "web-1", standard("web-1", "10.0.0.1", "web", true));
    put("default", "web-2", standard("web-2", "10.0.0.2", "web", true));
    put("default", "api-1", standard("api-1", "10.0.0.3", "api", true));
    put("default", "edge-1", gateway("edge-1", "10.0.0.4", "edge", "BUILTIN"));
    put("default", "legacy-1", gateway("legacy-1", "10.0.0.5", "legacy", "DELEGATED"));
    given()
        .get("/mesh-insights/default")
        .then()
        .statusCode(200)
        .body("dataplanes.total", equalTo(5))
        .body("dataplanes.offline", equalTo(5))
        .body("dpVersions.kumaDp.unknown.offline", equalTo(5))
        .body("services.total", equalTo(4))
        .body("services.internal", equalTo(4))
        .body("resources.Dataplane.total", equalTo(5));

    connect("default", "web-1", "2.9.1", "1.30.2");
    connect("default", "web-2", "2.9.0", "1.30.2");
    connect("default", "api-1", "2.9.1", "1.30.2");
    connect("default", "edge-1", "2.9.1", "1.30.2");
    // web-2's inbound reports not ready: online but partially degraded.
    put("default", "web-2", twoInbounds("web-2", "10.0.0.2"));
    given()
        .get("/mesh-insights/default")
        .then()
        .statusCode(200)
        .body("dataplanes.total", equalTo(5))
        .body("dataplanes.online", equalTo(3))
        .body("dataplanes.partiallyDegraded", equalTo(1))
        .body("dataplanes.offline", equalTo(1))
        .body("dataplanesByType.standard.total", equalTo(3))
        .body("dataplanesByType.standard.online", equalTo(2))
        .body("dataplanesByType.standard.partiallyDegraded", equalTo(1))
        .body("dataplanesByType.gateway.total", equalTo(2))
        .body("dataplanesByType.gateway.online", equalTo(1))
        .body("dataplanesByType.gatewayBuiltin.online", equalTo(1))
        .body("dataplanesByType.gatewayDelegated.offline", equalTo(1))
        .body("dpVersions.kumaDp.'2.9.1'.online", equalTo(3))
        .body("dpVersions.kumaDp.'2.9.0'.partiallyDegraded", equalTo(1))
        .body("dpVersions.kumaDp.'2.9.0'.total", equalTo(1))
        .body("dpVersions.kumaDp.unknown.offline", equalTo(1))
        .body("dpVersions.envoy.'1.30.2'.total", equalTo(4))
        .body("services.internal", equalTo(5));

    disconnect("default", "web-1", "2.9.1", "1.30.2");
    // api-1's proxy is connected: a plain DELETE would be 409; force removes it anyway.
    given().delete("/meshes/default/dataplanes/api-1?force=true").then().statusCode(200);
    given()
        .get("/mesh-insights/default")
        .then()
        .body("dataplanes.total", equalTo(4))
        .body("dataplanes.online", equalTo(1))
        .body("dataplanes.offline", equalTo(2))
        .body("dataplanes.partiallyDegraded", equalTo(1))
        .body("dpVersions.kumaDp.'2.9.1'.total", equalTo(2))
        .body("services.internal", equalTo(4))
        .body("resources.Dataplane.total", equalTo(4));
  }

  @Test
  void meshInsightsArePaginatedLikeEveryList() {
    createMesh("other");
    put("other", "web-1", standard("web-1", "10.0.0.1", "web", true, "other"));
    given()
        .get("/mesh-insights?size=1")
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("items[0].type", equalTo("MeshInsight"))
        .body("items[0].name", equalTo("default"))
        .body(
            "next",
            allOf(
                containsString("/mesh-insights?"),
                containsString("offset=1"),
                containsString("size=1")));
    given()
        .get("/mesh-insights?size=1&offset=1")
        .then()
        .body("items[0].name", equalTo("other"))
        .body("items[0].dataplanes.total", equalTo(1))
        .body("next", nullValue());
    given()
        .get("/mesh-insights/ghost")
        .then()
        .statusCode(404)
        .body("title", equalTo("Could not retrieve a resource"));
  }

  // ---- global insight ---------------------------------------------------------------------------

  @Test
  void theGlobalInsightSumsTheMeshesInTheOpenApiShape() throws Exception {
    createMesh("other");
    put("default", "web-1", standard("web-1", "10.0.0.1", "web", true));
    put("default", "web-2", standard("web-2", "10.0.0.2", "web", true));
    put("other", "edge-1", gateway("edge-1", "10.0.0.4", "edge", "BUILTIN", "other"));
    put("other", "legacy-1", gateway("legacy-1", "10.0.0.5", "legacy", "DELEGATED", "other"));
    connect("default", "web-1", "2.9.1", "1.30.2");
    connect("other", "edge-1", "2.9.1", "1.30.2");

    int globalSecrets = given().get("/global-secrets").then().extract().path("total");
    JsonNode global = json(given().get("/global-insight").then().statusCode(200));
    assertThat(Instant.parse(global.get("createdAt").asText()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    ((ObjectNode) global).remove("createdAt");
    assertThat(global)
        .isEqualTo(
            JSON.readTree(
                """
                {"services": {"total": 3,
                              "internal": {"total": 1, "online": 0, "offline": 0, "partiallyDegraded": 1},
                              "external": {"total": 0},
                              "gatewayBuiltin": {"total": 1, "online": 1, "offline": 0, "partiallyDegraded": 0},
                              "gatewayDelegated": {"total": 1, "online": 0, "offline": 1, "partiallyDegraded": 0}},
                 "zones": {"controlPlanes": {"online": 0, "total": 0},
                           "zoneEgresses": {"online": 0, "total": 0},
                           "zoneIngresses": {"online": 0, "total": 0}},
                 "dataplanes": {"standard": {"total": 2, "online": 1, "offline": 1, "partiallyDegraded": 0},
                                "gatewayBuiltin": {"total": 1, "online": 1, "offline": 0, "partiallyDegraded": 0},
                                "gatewayDelegated": {"total": 1, "online": 0, "offline": 1, "partiallyDegraded": 0}},
                 "policies": {"total": 0},
                 "meshes": {"total": 2},
                 "resources": {"Mesh": {"total": 2}, "Dataplane": {"total": 4}, "Secret": {"total": 0},
                               "GlobalSecret": {"total": %d}}}
                """
                    .formatted(globalSecrets)));
  }

  // ---- overviews --------------------------------------------------------------------------------

  @Test
  void overviewsArePaginatedAndFilteredLikeKumas() {
    put("default", "web-1", standard("web-1", "10.0.0.1", "web", true));
    put("default", "web-2", standard("web-2", "10.0.0.2", "web", true));
    put("default", "api-1", standard("api-1", "10.0.0.3", "api", true));
    put("default", "edge-1", gateway("edge-1", "10.0.0.4", "edge", "BUILTIN"));
    put("default", "legacy-1", gateway("legacy-1", "10.0.0.5", "legacy", "DELEGATED"));
    connect("default", "web-1", "2.9.1", "1.30.2");

    given()
        .get("/meshes/default/dataplanes/_overview?size=2")
        .then()
        .statusCode(200)
        .body("total", equalTo(5))
        .body("items.name", contains("api-1", "edge-1"))
        .body("items[0].type", equalTo("DataplaneOverview"))
        .body(
            "next",
            allOf(
                containsString("/meshes/default/dataplanes/_overview?"),
                containsString("offset=2"),
                containsString("size=2")));
    given()
        .get("/meshes/default/dataplanes/_overview?size=2&offset=4")
        .then()
        .body("items.name", contains("web-2"))
        .body("next", nullValue());
    given()
        .get("/meshes/default/dataplanes/_overview?name=web")
        .then()
        .body("total", equalTo(2))
        .body("items.name", contains("web-1", "web-2"))
        .body("items[0].dataplaneInsight.subscriptions[0].controlPlaneInstanceId", equalTo("xds-1"))
        .body("items[1].dataplaneInsight.subscriptions.size()", equalTo(0));
    given()
        .get("/meshes/default/dataplanes/_overview?tag=kuma.io/service:web&tag=version:v")
        .then()
        .body("items.name", contains("web-1", "web-2"));
    given()
        .get("/meshes/default/dataplanes/_overview?gateway=true")
        .then()
        .body("items.name", contains("edge-1", "legacy-1"));
    given()
        .get("/meshes/default/dataplanes/_overview?gateway=false")
        .then()
        .body("items.name", contains("api-1", "web-1", "web-2"));
    given()
        .get("/meshes/default/dataplanes/_overview?gateway=builtin")
        .then()
        .body("items.name", contains("edge-1"));
    given()
        .get("/meshes/default/dataplanes/_overview?gateway=DELEGATED&name=legacy")
        .then()
        .body("total", equalTo(1))
        .body("items[0].dataplane.networking.gateway.type", equalTo("DELEGATED"));
    given()
        .get("/meshes/default/dataplanes+insights?gateway=builtin")
        .then()
        .body("items.name", contains("edge-1"));
    given()
        .get("/meshes/default/dataplanes/_overview?gateway=maybe")
        .then()
        .statusCode(400)
        .body("invalid_parameters[0].field", equalTo("gateway"))
        .body(
            "invalid_parameters[0].reason",
            equalTo("must be true, false, builtin or delegated, got \"maybe\""));
    given().get("/meshes/ghost/dataplanes/_overview").then().statusCode(404);
  }

  @Test
  void oneOverviewAndTheOverviewsOfEveryMesh() {
    createMesh("other");
    put("default", "web-1", standard("web-1", "10.0.0.1", "web", true));
    put("other", "web-1", standard("web-1", "10.0.0.9", "web", true, "other"));
    connect("other", "web-1", "2.9.1", "1.30.2");

    given()
        .get("/meshes/other/dataplanes/web-1/_overview")
        .then()
        .statusCode(200)
        .body("type", equalTo("DataplaneOverview"))
        .body("mesh", equalTo("other"))
        .body("name", equalTo("web-1"))
        .body("creationTime", notNullValue())
        .body("modificationTime", notNullValue())
        .body("dataplane.networking.address", equalTo("10.0.0.9"))
        .body("dataplaneInsight.subscriptions[0].version.kumaDp.version", equalTo("2.9.1"));
    given()
        .get("/dataplanes/_overview")
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("items.mesh", contains("default", "other"))
        .body("items[0].dataplaneInsight.subscriptions.size()", equalTo(0))
        .body("items[1].dataplaneInsight.subscriptions.size()", equalTo(1));
    given().get("/meshes/default/dataplanes/ghost/_overview").then().statusCode(404);
  }

  @Test
  void theDataplaneOfAnOverviewGoesBackInAsIs() throws Exception {
    put("default", "web-1", twoInbounds("web-1", "10.0.0.1"));
    JsonNode overview =
        json(given().get("/meshes/default/dataplanes/web-1/_overview").then().statusCode(200));
    ObjectNode resource = (ObjectNode) overview.get("dataplane").deepCopy();
    resource.put("type", "Dataplane").put("mesh", "default").put("name", "web-1");
    given()
        .contentType(ContentType.JSON)
        .body(resource.toString())
        .put("/meshes/default/dataplanes/web-1")
        .then()
        .statusCode(200);
    JsonNode again =
        json(given().get("/meshes/default/dataplanes/web-1/_overview").then().statusCode(200));
    assertThat(again.get("dataplane")).isEqualTo(overview.get("dataplane"));
  }

  // ---- xds, stats, clusters ---------------------------------------------------------------------

  @Test
  void theConfigOfAProxyThatIsNotConnectedIsNotFound() {
    put("default", "web-1", standard("web-1", "10.0.0.1", "web", true));
    given()
        .get("/meshes/default/dataplanes/web-1/xds")
        .then()
        .statusCode(404)
        .body("title", equalTo("Could not get the proxy's config"))
        .body("detail", containsString("is not connected to the control plane"));
    // The insight names a replica that is not there (it crashed): still not connected.
    connect("default", "web-1", "2.9.1", "1.30.2");
    given()
        .get("/meshes/default/dataplanes/web-1/xds?include_eds=true")
        .then()
        .statusCode(404)
        .body("detail", containsString("its stream was on xDS replica \"xds-1\""));
    given().get("/meshes/default/dataplanes/ghost/xds").then().statusCode(404);
    // Envoy's stats and clusters are not served (no channel to its admin): a 404 saying so, never
    // a 5xx (issue 15: no 5xx for a request); a dataplane that does not exist is the usual 404.
    given()
        .get("/meshes/default/dataplanes/web-1/stats")
        .then()
        .statusCode(404)
        .body("detail", containsString("are not served"))
        .body("detail", containsString("/meshes/default/dataplanes/web-1/xds"));
    given()
        .get("/meshes/default/dataplanes/web-1/clusters")
        .then()
        .statusCode(404)
        .body("detail", containsString("are not served"));
    given()
        .get("/meshes/default/dataplanes/ghost/stats")
        .then()
        .statusCode(404)
        .body("detail", not(containsString("are not served")));
  }

  // ---- system endpoints -------------------------------------------------------------------------

  @Test
  void theTypesAndPoliciesWeServe() {
    given()
        .get("/_resources")
        .then()
        .statusCode(200)
        .body(
            "resources.name",
            contains("Dataplane", "GlobalSecret", "Mesh", "MeshInsight", "Secret"))
        .body("resources.find { it.name == 'Dataplane' }.path", equalTo("dataplanes"))
        .body("resources.find { it.name == 'Dataplane' }.scope", equalTo("Mesh"))
        .body("resources.find { it.name == 'MeshInsight' }.readOnly", equalTo(true))
        .body("resources.find { it.name == 'Mesh' }.pluralDisplayName", equalTo("Meshes"))
        .body("resources.find { it.name == 'Secret' }.includeInFederation", equalTo(true))
        .body(
            "resources.find { it.name == 'GlobalSecret' }.singularDisplayName",
            equalTo("Global Secret"));
    given().get("/policies").then().statusCode(200).body("policies.size()", equalTo(0));
  }

  @Test
  void whoAmIAndTheConfigForTheLocalAdmin() {
    given()
        .get("/who-am-i")
        .then()
        .statusCode(200)
        .body("name", equalTo("mesh-system:admin"))
        .body("groups", contains("mesh-system:admin", "mesh-system:authenticated"));
    given()
        .get("/config")
        .then()
        .statusCode(200)
        .body("'quma.api.max-page-size'", equalTo("1000"))
        .body("'quma.api.insights-reconcile-interval'", equalTo("5m"))
        .body("'quarkus.http.cors.methods'", equalTo("GET,HEAD,OPTIONS"))
        .body("$", hasKey("quarkus.redis.hosts"));
    // Every Redis client of the service is named by the one setting (here a single node or a
    // cluster, as the test runs).
    Map<String, String> config =
        given().get("/config").then().statusCode(200).extract().as(new TypeRef<>() {});
    assertThat(config.get("quma.redis.url")).startsWith("redis://127.0.0.1:");
    assertThat(config.get("quma.redis.client-type")).isIn("standalone", "cluster");
    for (String client : List.of("quarkus.redis.", "quarkus.redis.xds-dump.")) {
      assertThat(config.get(client + "hosts")).isEqualTo(config.get("quma.redis.url"));
      assertThat(config.get(client + "client-type"))
          .isEqualTo(config.get("quma.redis.client-type"));
    }
  }

  // ---- CORS -------------------------------------------------------------------------------------

  @Test
  void aDashboardOfAnotherOriginMayReadButIsNoLocalAdmin() {
    given()
        .header("Origin", "http://dashboard.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .options("/mesh-insights/default")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", equalTo("http://dashboard.example"))
        .header("Access-Control-Allow-Methods", containsString("GET"));
    given()
        .header("Origin", "http://dashboard.example")
        .get("/meshes/default")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", equalTo("http://dashboard.example"))
        .header("Access-Control-Expose-Headers", containsString("ETag"));
    given()
        .header("Origin", "http://dashboard.example")
        .get("/global-secrets/admin-user-token")
        .then()
        .statusCode(401);
    given()
        .header("Origin", "http://dashboard.example")
        .get("/who-am-i")
        .then()
        .body("name", equalTo("mesh-system:anonymous"))
        .body("groups", hasItem("mesh-system:unauthenticated"));
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static JsonNode json(io.restassured.response.ValidatableResponse response)
      throws Exception {
    return JSON.readTree(response.extract().asString());
  }

  private static void createMesh(String name) {
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"" + name + "\"}")
        .put("/meshes/" + name)
        .then()
        .statusCode(201);
  }

  private static void put(String mesh, String name, String yaml) {
    given()
        .contentType("application/yaml")
        .body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .put("/meshes/" + mesh + "/dataplanes/" + name)
        .then()
        .statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
  }

  static String standard(String name, String address, String service, boolean ready) {
    return standard(name, address, service, ready, "default");
  }

  static String standard(String name, String address, String service, boolean ready, String mesh) {
    return """
        type: Dataplane
        mesh: %s
        name: %s
        networking:
          address: %s
          inbound:
          - port: 8080
            health: {ready: %s}
            tags: {kuma.io/service: %s, version: v1}
        """
        .formatted(mesh, name, address, ready, service);
  }

  static String twoInbounds(String name, String address) {
    return """
        type: Dataplane
        mesh: default
        name: %s
        networking:
          address: %s
          inbound:
          - port: 8080
            tags: {kuma.io/service: web, version: v1}
          - port: 8081
            health: {ready: false}
            tags: {kuma.io/service: web-admin}
        """
        .formatted(name, address);
  }

  static String gateway(String name, String address, String service, String type) {
    return gateway(name, address, service, type, "default");
  }

  static String gateway(String name, String address, String service, String type, String mesh) {
    return """
        type: Dataplane
        mesh: %s
        name: %s
        networking:
          address: %s
          gateway:
            type: %s
            tags: {kuma.io/service: %s}
        """
        .formatted(mesh, name, address, type, service);
  }

  private void connect(String mesh, String name, String kumaDp, String envoy) {
    insights
        .open(mesh, name, subscription(kumaDp, envoy, null), Instant.now())
        .await()
        .atMost(Duration.ofSeconds(5));
  }

  private void disconnect(String mesh, String name, String kumaDp, String envoy) {
    insights
        .close(mesh, name, subscription(kumaDp, envoy, Instant.now()))
        .await()
        .atMost(Duration.ofSeconds(5));
  }

  private static DataplaneInsight.DiscoverySubscription subscription(
      String kumaDp, String envoy, Instant disconnected) {
    return new DataplaneInsight.DiscoverySubscription(
        "sub-1",
        "xds-1",
        Instant.now().minusSeconds(30),
        disconnected,
        null,
        new DataplaneInsight.Version(
            new DataplaneInsight.Version.KumaDp(kumaDp, null, null, null, null),
            new DataplaneInsight.Version.Envoy(envoy, null, null),
            null),
        0);
  }
}
