package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.quma.api.testing.CleanStore;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.InsightWriter;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the resource API over real HTTP, against a real Redis, as an admin on
 * localhost.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ResourceApiTest {
  static final String REDIS_1 =
      """
      type: Dataplane
      mesh: default
      name: redis-1
      networking:
        address: 192.168.0.1
        inbound:
        - port: 9000
          servicePort: 6379
          tags:
            kuma.io/service: redis
      """;

  static final String BACKEND_1_JSON =
      """
      {"type": "Dataplane", "mesh": "default", "name": "backend-1",
       "networking": {"address": "192.168.0.2",
         "inbound": [{"port": 8000, "servicePort": 80, "tags": {"kuma.io/service": "backend", "kuma.io/protocol": "http"}}],
         "outbound": [{"port": 10000, "tags": {"kuma.io/service": "redis"}}]}}
      """;

  @Inject CleanStore clean;
  @Inject InsightWriter insights;

  @BeforeAll
  static void yamlIsText() {
    RestAssured.config =
        RestAssured.config()
            .encoderConfig(
                EncoderConfig.encoderConfig()
                    .encodeContentTypeAs("application/yaml", ContentType.TEXT));
  }

  @BeforeEach
  void firstStart() {
    clean.reset();
  }

  @Test
  void indexIdentifiesAKumaCompatibleControlPlane() {
    given()
        .get("/")
        .then()
        .statusCode(200)
        .body("tagline", equalTo("Kuma"))
        .body("product", equalTo("Kuma"))
        .body("implementation", equalTo("Quma"))
        .body("hostname", notNullValue())
        .body("clusterId", notNullValue())
        .body("gui", equalTo("The gui is available at /gui"));
    // ... and the path it names serves the GUI's page.
    given().get("/gui").then().statusCode(200).contentType(containsString("text/html"));
  }

  @Test
  void theDefaultMeshExistsAfterTheFirstStart() {
    given()
        .get("/meshes")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("items[0].name", equalTo("default"))
        .body("items[0].type", equalTo("Mesh"))
        .body("next", nullValue());
    given()
        .get("/meshes/default")
        .then()
        .statusCode(200)
        .body("name", equalTo("default"))
        .body("creationTime", notNullValue());
  }

  @Test
  void theSeedsDataplanesGoInAsYamlAndJsonAndComeBackInKumasShape() {
    given()
        .contentType("application/yaml")
        .body(REDIS_1)
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(201)
        .header("ETag", notNullValue())
        .body("warnings", hasSize(0));
    given()
        .contentType(ContentType.JSON)
        .body(BACKEND_1_JSON)
        .put("/meshes/default/dataplanes/backend-1")
        .then()
        .statusCode(201);

    given()
        .get("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(200)
        .body("type", equalTo("Dataplane"))
        .body("mesh", equalTo("default"))
        .body("name", equalTo("redis-1"))
        .body("creationTime", notNullValue())
        .body("modificationTime", notNullValue())
        .body("networking.address", equalTo("192.168.0.1"))
        .body("networking.inbound[0].port", equalTo(9000))
        .body("networking.inbound[0].servicePort", equalTo(6379))
        .body("networking.inbound[0].tags.'kuma.io/service'", equalTo("redis"));
    given()
        .get("/meshes/default/dataplanes/backend-1")
        .then()
        .body("networking.outbound[0].port", equalTo(10000))
        .body("networking.outbound[0].tags.'kuma.io/service'", equalTo("redis"))
        .body("networking.inbound[0].tags.'kuma.io/protocol'", equalTo("http"));

    // Sending it again updates it (200), and YAML is served on request.
    given()
        .contentType("application/yaml")
        .body(REDIS_1.replace("192.168.0.1", "192.168.0.9"))
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(200);
    String yaml =
        given()
            .accept("application/yaml")
            .get("/meshes/default/dataplanes/redis-1")
            .then()
            .statusCode(200)
            .contentType(containsString("yaml"))
            .extract()
            .asString();
    assertThat(yaml)
        .contains("type: Dataplane")
        .contains("address: 192.168.0.9")
        .contains("kuma.io/service: redis");
  }

  @Test
  void anInvalidDataplaneGetsEveryViolationAndIsNotStored() {
    String invalid =
        """
        {"type": "Dataplane", "mesh": "default", "name": "bad-1",
         "networking": {"address": "192.168.0.1", "inbound": [{"port": 0, "tags": {"kuma.io/protocol": "smtp"}}]}}
        """;
    given()
        .contentType(ContentType.JSON)
        .body(invalid)
        .put("/meshes/default/dataplanes/bad-1")
        .then()
        .statusCode(400)
        .body("type", equalTo("/std-errors"))
        .body("status", equalTo(400))
        .body("title", equalTo("Could not process a resource"))
        .body("detail", equalTo("Resource is not valid"))
        .body("details", equalTo("Resource is not valid"))
        .body(
            "invalid_parameters.field",
            contains(
                "networking.inbound[0].port",
                "networking.inbound[0].tags[\"kuma.io/protocol\"]",
                "networking.inbound[0].tags[\"kuma.io/service\"]"))
        .body(
            "invalid_parameters[1].reason",
            equalTo(
                "tag \"kuma.io/protocol\" has an invalid value \"smtp\". Allowed values: grpc, http, http2, kafka, tcp"))
        .body(
            "causes.message",
            contains(
                "port must be in the range [1, 65535]",
                "tag \"kuma.io/protocol\" has an invalid value \"smtp\". Allowed values: grpc, http, http2, kafka, tcp",
                "tag has to exist"));
    given().get("/meshes/default/dataplanes/bad-1").then().statusCode(404);

    // An invalid update leaves the stored version as it was.
    given()
        .contentType("application/yaml")
        .body(REDIS_1)
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(201);
    given()
        .contentType("application/yaml")
        .body(REDIS_1.replace("9000", "0"))
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(400);
    given()
        .get("/meshes/default/dataplanes/redis-1")
        .then()
        .body("networking.inbound[0].port", equalTo(9000));
  }

  @Test
  void malformedBodiesAreRejectedNamingTheField() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\": \"Dataplane\", ")
        .put("/meshes/default/dataplanes/x")
        .then()
        .statusCode(400)
        .body("causes[0].message", containsString("invalid JSON"));
    given()
        .contentType("application/yaml")
        .body(REDIS_1.replace("servicePort: 6379", "servicePort: 6379\n    sevicePort: 1"))
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(400)
        .body("invalid_parameters[0].field", equalTo("networking.inbound[0].sevicePort"))
        .body("invalid_parameters[0].reason", containsString("unknown field \"sevicePort\""));
    given()
        .contentType("application/yaml")
        .body(REDIS_1.replace("port: 9000", "port: nine-thousand"))
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(400)
        .body("invalid_parameters[0].field", equalTo("networking.inbound[0].port"))
        .body("invalid_parameters[0].reason", equalTo("must be an integer"));
    given()
        .contentType(ContentType.JSON)
        .body("")
        .put("/meshes/default/dataplanes/x")
        .then()
        .statusCode(400)
        .body("causes[0].message", containsString("request body is empty"));
    given().get("/meshes/default/dataplanes").then().body("total", equalTo(0));
  }

  @Test
  void namesInTheBodyMustMatchTheUrl() {
    given()
        .contentType("application/yaml")
        .body(
            REDIS_1
                .replace("mesh: default", "mesh: other")
                .replace("type: Dataplane", "type: Mesh"))
        .put("/meshes/default/dataplanes/redis-2")
        .then()
        .statusCode(400)
        .body("invalid_parameters.field", contains("type", "name", "mesh"))
        .body(
            "invalid_parameters.reason",
            contains(
                "type from the URL has to be the same as in body",
                "name from the URL has to be the same as in body",
                "mesh from the URL has to be the same as in body"));
  }

  @Test
  void unknownMeshesAndResourcesAre404OnReadAndMeshIsNotFoundOnWrite() {
    given()
        .get("/meshes/nope")
        .then()
        .statusCode(404)
        .body("title", equalTo("Could not retrieve a resource"));
    given()
        .get("/meshes/nope/dataplanes")
        .then()
        .statusCode(404)
        .body("title", equalTo("Could not retrieve resources"))
        .body("detail", equalTo("Mesh \"nope\" is not found"));
    given()
        .get("/meshes/default/dataplanes/ghost")
        .then()
        .statusCode(404)
        .body("detail", equalTo("Dataplane \"ghost\" in mesh \"default\" is not found"));
    given()
        .delete("/meshes/default/dataplanes/ghost")
        .then()
        .statusCode(404)
        .body("title", equalTo("Could not delete a resource"));
    given()
        .contentType("application/yaml")
        .body(REDIS_1.replace("mesh: default", "mesh: nope"))
        .put("/meshes/nope/dataplanes/redis-1")
        .then()
        .statusCode(400)
        .body("detail", equalTo("Mesh is not found"))
        .body("causes[0].field", equalTo("mesh"))
        .body("causes[0].message", equalTo("mesh of name nope is not found"));
    given().get("/no/such/endpoint").then().statusCode(404).body("type", equalTo("/std-errors"));
  }

  @Test
  void versionsMakeWritesConditional() {
    String etag =
        given()
            .contentType("application/yaml")
            .body(REDIS_1)
            .put("/meshes/default/dataplanes/redis-1")
            .then()
            .statusCode(201)
            .extract()
            .header("ETag");
    String newer =
        given()
            .header("If-Match", etag)
            .contentType("application/yaml")
            .body(REDIS_1)
            .put("/meshes/default/dataplanes/redis-1")
            .then()
            .statusCode(200)
            .extract()
            .header("ETag");
    assertThat(newer).isNotEqualTo(etag);
    given()
        .header("If-Match", etag)
        .contentType("application/yaml")
        .body(REDIS_1)
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(409)
        .body("detail", containsString("was modified"));
    given()
        .header("If-Match", etag)
        .delete("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(409);
    given()
        .header("If-Match", "not-a-version")
        .delete("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(400);
    given()
        .get("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(200)
        .header("ETag", equalTo(newer));
    given()
        .header("If-Match", newer)
        .delete("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(200);
  }

  @Test
  void ofFiftyConcurrentConditionalPutsExactlyOneWins() throws Exception {
    String etag =
        given()
            .contentType("application/yaml")
            .body(REDIS_1)
            .put("/meshes/default/dataplanes/redis-1")
            .then()
            .statusCode(201)
            .extract()
            .header("ETag");
    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Future<Integer>> statuses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String body = REDIS_1.replace("192.168.0.1", "10.0.0." + (i + 1));
      statuses.add(
          pool.submit(
              () ->
                  given()
                      .header("If-Match", etag)
                      .contentType("application/yaml")
                      .body(body)
                      .put("/meshes/default/dataplanes/redis-1")
                      .statusCode()));
    }
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> status : statuses) {
      codes.add(status.get());
    }
    pool.shutdown();
    assertThat(codes).filteredOn(c -> c == 200).hasSize(1);
    assertThat(codes).filteredOn(c -> c == 409).hasSize(49);
  }

  @Test
  void listsArePaginatedAndFiltered() {
    for (int i = 0; i < 25; i++) {
      String service = i % 2 == 0 ? "redis" : "backend";
      String body =
          REDIS_1
              .replace("redis-1", "dp-" + String.format("%02d", i))
              .replace("kuma.io/service: redis", "kuma.io/service: " + service)
              .replace("192.168.0.1", "10.0.0." + (i + 1));
      given()
          .contentType("application/yaml")
          .body(body)
          .put("/meshes/default/dataplanes/dp-" + String.format("%02d", i))
          .then()
          .statusCode(201);
    }
    Response first = given().get("/meshes/default/dataplanes?size=10");
    first
        .then()
        .statusCode(200)
        .body("total", equalTo(25))
        .body("items", hasSize(10))
        .body("items[0].name", equalTo("dp-00"));
    String next = first.path("next");
    assertThat(next)
        .contains("/meshes/default/dataplanes")
        .contains("offset=10")
        .contains("size=10");

    Set<String> seen = new HashSet<>();
    String url = "/meshes/default/dataplanes?size=10";
    while (url != null) {
      Response page = given().urlEncodingEnabled(false).get(url);
      List<String> names = page.path("items.name");
      seen.addAll(names);
      url = page.path("next");
    }
    assertThat(seen).hasSize(25);

    given()
        .get("/meshes/default/dataplanes?tag=kuma.io/service:redis&size=100")
        .then()
        .body("total", equalTo(13))
        .body(
            "items.networking.inbound.tags.'kuma.io/service'.flatten()",
            org.hamcrest.Matchers.everyItem(equalTo("redis")));
    given()
        .get("/meshes/default/dataplanes?tag=kuma.io/service:back&name=dp-0")
        .then()
        .body("total", equalTo(5));
    given()
        .get("/meshes/default/dataplanes?offset=20&size=10")
        .then()
        .body("items", hasSize(5))
        .body("next", nullValue());
    given()
        .get("/meshes/default/dataplanes?size=abc")
        .then()
        .statusCode(400)
        .body("detail", equalTo("Invalid page size"))
        .body("causes[0].field", equalTo("size"));
    given()
        .get("/meshes/default/dataplanes?size=5000")
        .then()
        .statusCode(400)
        .body("causes[0].message", equalTo("Invalid page size of 5000. Maximum page size is 1000"));
    given()
        .get("/meshes/default/dataplanes?offset=x")
        .then()
        .statusCode(400)
        .body("detail", equalTo("Invalid offset"));
    given()
        .get("/meshes/default/dataplanes?tag=nocolon")
        .then()
        .statusCode(400)
        .body("causes[0].field", equalTo("tag"));
  }

  @Test
  void dataplanesOfEveryMeshAreListedTogether() {
    given()
        .contentType("application/yaml")
        .body("type: Mesh\nname: prod\n")
        .put("/meshes/prod")
        .then()
        .statusCode(201);
    given()
        .contentType("application/yaml")
        .body(REDIS_1)
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(201);
    given()
        .contentType("application/yaml")
        .body(REDIS_1.replace("mesh: default", "mesh: prod"))
        .put("/meshes/prod/dataplanes/redis-1")
        .then()
        .statusCode(201);
    given()
        .get("/dataplanes")
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("items.mesh", contains("default", "prod"));
  }

  @Test
  void overviewsCarryTheInsightTheXdsTierWrote() {
    given()
        .contentType("application/yaml")
        .body(REDIS_1)
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(201);
    given()
        .get("/meshes/default/dataplanes+insights")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("items[0].type", equalTo("DataplaneOverview"))
        .body("items[0].dataplane.networking.address", equalTo("192.168.0.1"))
        .body("items[0].dataplaneInsight.subscriptions", hasSize(0));

    Instant connected = Instant.parse("2026-11-23T10:00:00Z");
    var stats = new DataplaneInsight.Stats(3, 2, 1);
    var subscription =
        new DataplaneInsight.DiscoverySubscription(
            "sub-1",
            "xds-1",
            connected,
            null,
            new DataplaneInsight.DiscoveryServiceStats(connected, stats, stats, null, null, null),
            null,
            1);
    insights
        .open("default", "redis-1", subscription, Instant.now())
        .await()
        .atMost(Duration.ofSeconds(5));

    given()
        .get("/meshes/default/dataplanes+insights/redis-1")
        .then()
        .statusCode(200)
        .body("name", equalTo("redis-1"))
        .body("dataplaneInsight.subscriptions[0].controlPlaneInstanceId", equalTo("xds-1"))
        .body("dataplaneInsight.subscriptions[0].connectTime", equalTo("2026-11-23T10:00:00Z"))
        .body("dataplaneInsight.subscriptions[0].status.total.responsesSent", equalTo("3"))
        .body("dataplaneInsight.subscriptions[0].status.total.responsesRejected", equalTo("1"));
    given().get("/meshes/default/dataplanes+insights/ghost").then().statusCode(404);
  }

  @Test
  void aMeshIsDeletedOnlyOnceItHasNoDataplanes() {
    given()
        .contentType("application/yaml")
        .body(REDIS_1)
        .put("/meshes/default/dataplanes/redis-1")
        .then()
        .statusCode(201);
    given()
        .delete("/meshes/default")
        .then()
        .statusCode(409)
        .body("detail", equalTo("mesh \"default\" still has 1 dataplane; delete them first"));
    given().get("/meshes/default").then().statusCode(200);
    given().delete("/meshes/default/dataplanes/redis-1").then().statusCode(200);
    given().delete("/meshes/default").then().statusCode(200);
    given().get("/meshes/default").then().statusCode(404);
    given().get("/meshes").then().body("total", equalTo(0));
  }

  @Test
  void meshesAreCreatedUpdatedAndValidated() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"prod\",\"mtls\":{\"enabledBackend\":\"ca-1\"}}")
        .put("/meshes/prod")
        .then()
        .statusCode(201);
    given().get("/meshes/prod").then().body("mtls.enabledBackend", equalTo("ca-1"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"prod\"}")
        .put("/meshes/prod")
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"Bad_Mesh\"}")
        .put("/meshes/Bad_Mesh")
        .then()
        .statusCode(400)
        .body("causes[0].field", equalTo("name"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"prod\",\"mtsl\":{}}")
        .put("/meshes/prod")
        .then()
        .statusCode(400)
        .body("causes[0].field", equalTo("mtsl"));
  }

  @Test
  void theInitialAdminTokenIsAGlobalSecretForAdmins() {
    String data =
        given()
            .get("/global-secrets/admin-user-token")
            .then()
            .statusCode(200)
            .body("type", equalTo("GlobalSecret"))
            .extract()
            .path("data");
    String token = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    assertThat(token.split("\\.")).hasSize(3);
    // A proxy on the same host does not make its clients local admins.
    given()
        .header("X-Forwarded-For", "203.0.113.9")
        .get("/global-secrets/admin-user-token")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer");
    given()
        .header("X-Forwarded-For", "203.0.113.9")
        .header("Authorization", "Bearer " + token)
        .get("/global-secrets/admin-user-token")
        .then()
        .statusCode(200);
  }

  @Test
  void healthAndMetricsAreServed() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
  }
}
