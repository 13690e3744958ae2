package dev.quma.bootstrap.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quma.bootstrap.testing.BootstrapRules;
import dev.quma.bootstrap.testing.BootstrapTestResources;
import dev.quma.bootstrap.testing.Fixtures;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tls.ControlPlaneCa;
import dev.quma.core.tokens.DataplaneTokenClaims;
import dev.quma.core.tokens.TokenRevocations;
import dev.quma.testing.SeedDataplanes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /bootstrap over real HTTP against a real Redis: answers, formats and every refusal. */
@QuarkusTest
@QuarkusTestResource(value = BootstrapTestResources.class, restrictToAnnotatedClass = true)
class BootstrapResourceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject InsightWriter insights;
  Fixtures fixtures;

  /** Every bootstrap these tests receive must pass Envoy's own rules. */
  @BeforeAll
  static void judgeEveryBootstrap() {
    RestAssured.filters(BootstrapRules.onEveryAnswer());
  }

  @AfterAll
  static void stopJudging() {
    RestAssured.replaceFiltersWith(List.of());
  }

  @BeforeEach
  void defaultMesh() {
    fixtures = new Fixtures(store, changes, insights);
    fixtures.mesh("default");
  }

  static String request(String mesh, String name, String token, String resource) {
    var node =
        JSON.createObjectNode().put("mesh", mesh).put("name", name).put("proxyType", "dataplane");
    if (token != null) {
      node.put("dataplaneToken", token);
    }
    if (resource != null) {
      node.put("dataplaneResource", resource);
    }
    node.putObject("version").putObject("kumaDp").put("version", "2.9.0");
    return node.toString();
  }

  static ValidatableResponse post(String body) {
    return given().contentType("application/json").body(body).post("/bootstrap").then();
  }

  @Test
  void directModeAnswersTheEnvoyBootstrapAsYaml() throws Exception {
    String token = fixtures.token("default", "redis-1");
    String resource = SeedDataplanes.redis("default", "redis-1", "192.168.0.1");
    String yaml =
        post(request("default", "redis-1", token, resource))
            .statusCode(200)
            .contentType(containsString("yaml"))
            .extract()
            .asString();
    JsonNode bootstrap = new YAMLMapper().readTree(yaml);
    assertThat(bootstrap.at("/node/id").asText()).isEqualTo("default.redis-1");
    assertThat(bootstrap.at("/node/cluster").asText()).isEqualTo("redis");
    JsonNode metadata = bootstrap.at("/node/metadata");
    assertThat(metadata.get("dataplane.proxyType").asText()).isEqualTo("dataplane");
    assertThat(metadata.get("dataplane.admin.port").isTextual()).isTrue();
    assertThat(metadata.get("dataplane.admin.port").asText()).isEqualTo("9901");
    assertThat(
            JSON.readTree(metadata.get("dataplane.resource").asText())
                .at("/networking/address")
                .asText())
        .isEqualTo("192.168.0.1");
    assertThat(metadata.at("/version/kumaDp/version").asText()).isEqualTo("2.9.0");
    assertThat(bootstrap.at("/admin/address/socketAddress/address").asText())
        .isEqualTo("127.0.0.1");
    assertThat(bootstrap.at("/admin/address/socketAddress/portValue").asInt()).isEqualTo(9901);
    JsonNode ads = bootstrap.at("/dynamicResources/adsConfig");
    assertThat(ads.get("apiType").asText()).isEqualTo("DELTA_GRPC");
    assertThat(ads.at("/grpcServices/0/envoyGrpc/clusterName").asText()).isEqualTo("ads_cluster");
    assertThat(ads.at("/grpcServices/0/initialMetadata/0/key").asText()).isEqualTo("authorization");
    assertThat(ads.at("/grpcServices/0/initialMetadata/0/value").asText()).isEqualTo(token);
    JsonNode cluster = bootstrap.at("/staticResources/clusters/0");
    assertThat(cluster.get("name").asText()).isEqualTo("ads_cluster");
    assertThat(
            cluster
                .at(
                    "/loadAssignment/endpoints/0/lbEndpoints/0/endpoint/address/socketAddress/address")
                .asText())
        .isEqualTo("xds.test.internal");
    assertThat(
            cluster
                .at(
                    "/loadAssignment/endpoints/0/lbEndpoints/0/endpoint/address/socketAddress/portValue")
                .asInt())
        .isEqualTo(15678);
    assertThat(
            cluster
                .at(
                    "/transportSocket/typedConfig/commonTlsContext/validationContext/trustedCa/inlineString")
                .asText())
        .as("the control plane's CA from the store, which the xDS tier's certificate chains to")
        .isEqualTo(
            Fixtures.await(new ControlPlaneCa(store, Clock.systemUTC()).ensure()).certificatePem());
  }

  @Test
  void kumasEnvelopeWithAcceptJsonAndPlainJsonOnRequest() throws Exception {
    String token = fixtures.token("default", "redis-e1");
    String body =
        request(
            "default", "redis-e1", token, SeedDataplanes.redis("default", "redis-e1", "10.0.0.5"));
    JsonNode envelope =
        JSON.readTree(
            given()
                .contentType("application/json")
                .accept("application/json")
                .body(body)
                .post("/bootstrap")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    String yaml = new String(Base64.getDecoder().decode(envelope.get("bootstrap").asText()));
    assertThat(new YAMLMapper().readTree(yaml).at("/node/id").asText())
        .isEqualTo("default.redis-e1");
    assertThat(envelope.at("/kumaSidecarConfiguration/networking/address").asText())
        .isEqualTo("10.0.0.5");

    JsonNode plain =
        JSON.readTree(
            given()
                .contentType("application/json")
                .queryParam("format", "json")
                .body(body)
                .post("/bootstrap")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    assertThat(plain.at("/node/id").asText()).isEqualTo("default.redis-e1");
  }

  @Test
  void yamlResourcesAreReadToo() {
    String token = fixtures.token("default", "redis-y1");
    post(request(
            "default",
            "redis-y1",
            token,
            "type: Dataplane\nmesh: default\nname: redis-y1\nnetworking:\n  address: 10.0.0.7\n"
                + "  inbound:\n  - port: 9000\n    servicePort: 6379\n    tags:\n      kuma.io/service: redis\n"))
        .statusCode(200)
        .body(containsString("id: default.redis-y1"));
  }

  @Test
  void tokensThatAreMissingInvalidExpiredOrRevokedAre401() {
    String resource = SeedDataplanes.redis("default", "redis-t1", "10.0.1.1");
    post(request("default", "redis-t1", null, resource))
        .statusCode(401)
        .body("detail", containsString("no dataplane token"));
    post(request("default", "redis-t1", "not.a.token", resource)).statusCode(401);
    String expired = fixtures.token("default", "redis-t1", Duration.ofHours(-1));
    post(request("default", "redis-t1", expired, resource))
        .statusCode(401)
        .body("detail", containsString("expired"));
    String revoked = fixtures.token("default", "redis-t1");
    String jti =
        DataplaneTokenClaims.fromJson(Base64.getUrlDecoder().decode(revoked.split("\\.")[1])).jti();
    Fixtures.await(new TokenRevocations(store).revoke("default", Set.of(jti)));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline && status != 401) {
      status =
          given()
              .contentType("application/json")
              .body(request("default", "redis-t1", revoked, resource))
              .post("/bootstrap")
              .statusCode();
    }
    assertThat(status).as("a revoked token is refused once the revocation is seen").isEqualTo(401);
  }

  @Test
  void aTokenOfAnotherDataplaneIs403() {
    String redisToken = fixtures.token("default", "redis-1");
    post(request(
            "default",
            "backend-1",
            redisToken,
            SeedDataplanes.backend("default", "backend-1", "192.168.0.2")))
        .statusCode(403)
        .body("detail", containsString("\"redis-1\""))
        .body("detail", containsString("\"backend-1\""));
  }

  @Test
  void anInvalidResourceIs400WithEveryViolation() {
    String token = fixtures.token("default", "bad-1");
    String invalid =
        """
        {"type":"Dataplane","mesh":"default","name":"bad-1","networking":{"address":"0.0.0.0",
         "inbound":[{"port":0,"tags":{"kuma.io/protocol":"smtp"}}]}}
        """;
    post(request("default", "bad-1", token, invalid))
        .statusCode(400)
        .body("title", containsString("Could not bootstrap"))
        .body(
            "invalid_parameters.field",
            hasItems(
                "networking.address",
                "networking.inbound[0].port",
                "networking.inbound[0].tags[\"kuma.io/service\"]"))
        .body("causes.field", hasItems("networking.address"));
  }

  @Test
  void theResourceMustNameTheRequestedDataplane() {
    String token = fixtures.token("default", "redis-n1");
    post(request(
            "default", "redis-n1", token, SeedDataplanes.redis("default", "redis-n2", "10.0.0.1")))
        .statusCode(400)
        .body("invalid_parameters.field", hasItems("dataplaneResource.name"));
  }

  @Test
  void whetherAMeshExistsIsNotToldWithoutAValidToken() {
    post(request("nope", "redis-1", "x.y.z", SeedDataplanes.redis("nope", "redis-1", "10.0.0.1")))
        .statusCode(401)
        .body("detail", not(containsString("does not exist")));
  }

  @Test
  void indirectModeNeedsAStoredDataplaneAndLeavesItOutOfTheMetadata() throws Exception {
    String token = fixtures.token("default", "web-i1");
    post(request("default", "web-i1", token, null))
        .statusCode(404)
        .body("detail", containsString("Dataplane \"web-i1\" does not exist in mesh \"default\""));
    fixtures.store(SeedDataplanes.backend("default", "web-i1", "10.0.2.1"));
    String yaml =
        post(request("default", "web-i1", token, null)).statusCode(200).extract().asString();
    JsonNode bootstrap = new YAMLMapper().readTree(yaml);
    assertThat(bootstrap.at("/node/id").asText()).isEqualTo("default.web-i1");
    assertThat(bootstrap.at("/node/cluster").asText()).isEqualTo("backend");
    assertThat(bootstrap.at("/node/metadata").has("dataplane.resource"))
        .as("Indirect: the xDS tier uses the stored resource")
        .isFalse();
  }

  @Test
  void aConnectedDataplaneOfThatNameWithAnotherIdentityIs409() {
    fixtures.store(SeedDataplanes.backend("default", "backend-c1", "10.0.3.1"));
    fixtures.connected("default", "backend-c1");
    String token = fixtures.token("default", "backend-c1");
    post(request(
            "default",
            "backend-c1",
            token,
            SeedDataplanes.backend("default", "backend-c1", "10.0.3.2")))
        .statusCode(409)
        .body("detail", containsString("connected"))
        .body("detail", containsString("10.0.3.1"));
    // The same proxy coming back (a restart before its old stream was closed) is served.
    post(request(
            "default",
            "backend-c1",
            token,
            SeedDataplanes.backend("default", "backend-c1", "10.0.3.1")))
        .statusCode(200);
  }

  @Test
  void aSubscriptionWhoseReplicaWentSilentDoesNotBlockTheName() {
    // An xDS replica that crashed leaves the subscription open, but writes no more heartbeats.
    fixtures.store(SeedDataplanes.backend("default", "backend-c2", "10.0.3.1"));
    fixtures.connected(
        "default", "backend-c2", java.time.Instant.now().minus(Duration.ofMinutes(2)));
    String token = fixtures.token("default", "backend-c2");
    post(request(
            "default",
            "backend-c2",
            token,
            SeedDataplanes.backend("default", "backend-c2", "10.0.3.2")))
        .statusCode(200);
  }

  @Test
  void malformedBodiesAre400AndNeverAStackTrace() {
    post("{not json")
        .statusCode(400)
        .body("detail", containsString("not a valid BootstrapRequest"));
    post("").statusCode(400);
    post(request("", "", "t", null))
        .statusCode(400)
        .body("invalid_parameters.field", hasItems("mesh", "name"));
    given()
        .contentType("application/json")
        .body(
            "{\"mesh\":\"default\",\"name\":\"x\",\"proxyType\":\"ingress\",\"dataplaneToken\":\"t\"}")
        .post("/bootstrap")
        .then()
        .statusCode(400)
        .body("invalid_parameters.field", hasItems("proxyType"));
  }

  @Test
  void bytesThatAreNotUtf8TextAre400() {
    // NULs or a byte order mark in front make the parser guess UTF-32, then fail on the characters
    // (the hostile-input suite's cases 81 and 892 of seed 15): a 500 until it was caught.
    byte[] json = "{\"mesh\":\"default\",\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    for (byte[] prefix : new byte[][] {{0, 0, 0}, {(byte) 0xff, (byte) 0xfe, 0, 0}}) {
      byte[] body = new byte[prefix.length + json.length];
      System.arraycopy(prefix, 0, body, 0, prefix.length);
      System.arraycopy(json, 0, body, prefix.length, json.length);
      given()
          .contentType("application/json")
          .body(body)
          .post("/bootstrap")
          .then()
          .statusCode(400)
          .body("detail", containsString("not UTF-8 JSON text"));
    }
  }

  @Test
  void healthAndMetrics() {
    given().get("/q/health/ready").then().statusCode(200);
    String token = fixtures.token("default", "redis-m1");
    post(request(
            "default", "redis-m1", token, SeedDataplanes.redis("default", "redis-m1", "10.0.4.1")))
        .statusCode(200);
    post(request(
            "default",
            "redis-m1",
            "forged",
            SeedDataplanes.redis("default", "redis-m1", "10.0.4.1")))
        .statusCode(401);
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("quma_bootstraps_total{mode=\"direct\",outcome=\"served\"}"))
        .body(containsString("quma_bootstraps_total{mode=\"direct\",outcome=\"401\"}"));
  }
}
