package dev.quma.tokens;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ProxyType;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.VerifiedDataplaneToken;
import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /tokens/dataplane} as Kuma's clients call it, over real HTTP, Redis and PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
@QuarkusTestResource(PrivatePostgresResource.class)
class IssueTokenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Meshes meshes;
  @Inject DataplaneTokenVerifier verifier;

  @Test
  void answersABareKumaShapedJwtAsPlainText() throws Exception {
    String mesh = meshes.create();
    Dataplane redis1 = meshes.storeRedis1(mesh);
    Instant before = Instant.now().minusSeconds(1);

    Response response =
        given()
            .contentType(ContentType.JSON)
            .body(
                """
                {"name": "redis-1", "mesh": "%s", "tags": {"kuma.io/service": ["redis"]},
                 "type": "dataplane", "validFor": "24h"}
                """
                    .formatted(mesh))
            .post("/tokens/dataplane");

    response.then().statusCode(200).contentType(containsString("text/plain"));
    String token = response.asString();
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    JsonNode header = decode(parts[0]);
    JsonNode claims = decode(parts[1]);
    assertThat(header.get("alg").asText()).isEqualTo("RS256");
    assertThat(header.get("kid").asText()).isEqualTo("1");
    assertThat(claims.get("Name").asText()).isEqualTo("redis-1");
    assertThat(claims.get("Mesh").asText()).isEqualTo(mesh);
    assertThat(claims.get("Tags").toString()).isEqualTo("{\"kuma.io/service\":[\"redis\"]}");
    assertThat(claims.get("Type").asText()).isEqualTo("dataplane");
    assertThat(claims.has("Workload")).isTrue();
    long iat = claims.get("iat").asLong();
    assertThat(iat).isBetween(before.getEpochSecond(), Instant.now().getEpochSecond());
    assertThat(claims.get("exp").asLong()).isEqualTo(iat + Duration.ofHours(24).toSeconds());
    assertThat(claims.get("nbf").asLong()).isEqualTo(iat - 300);
    assertThat(claims.get("jti").asText()).hasSize(36);

    VerifiedDataplaneToken verified =
        verifier
            .verify(token, mesh, "redis-1", ProxyType.DATAPLANE, redis1)
            .await()
            .atMost(Duration.ofSeconds(10));
    assertThat(verified.jti()).isEqualTo(claims.get("jti").asText());
  }

  @Test
  void anUnknownMeshIsA400NamingTheField() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"mesh\": \"nowhere\", \"validFor\": \"1h\"}")
        .post("/tokens/dataplane")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("title", equalTo("Could not issue a token"))
        .body("detail", equalTo("Mesh is not found"))
        .body("invalid_parameters[0].field", equalTo("mesh"))
        .body("invalid_parameters[0].reason", equalTo("mesh of name nowhere is not found"));
  }

  @Test
  void everyInvalidFieldIsReportedAtOnce() {
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            {"mesh": "", "name": "Not_A_Name", "type": "gateway", "validFor": "1 day",
             "tags": {"kuma.io/service": "redis"}}
            """)
        .post("/tokens/dataplane")
        .then()
        .statusCode(400)
        .body("title", equalTo("Invalid request"))
        .body("detail", equalTo("Resource is not valid"))
        .body("invalid_parameters.field", hasItem("mesh"))
        .body("invalid_parameters.field", hasItem("name"))
        .body("invalid_parameters.field", hasItem("type"))
        .body("invalid_parameters.field", hasItem("validFor"))
        .body("invalid_parameters.field", hasItem("tags[\"kuma.io/service\"]"))
        .body(
            "invalid_parameters.find { it.field == 'type' }.reason",
            equalTo(
                "gateway is not a valid proxy type. Valid types are: dataplane, ingress, egress"))
        .body(
            "invalid_parameters.find { it.field == 'validFor' }.reason",
            startsWith("is invalid: invalid duration \"1 day\": unknown unit \" day\""));
  }

  @Test
  void aBadDurationAloneIsA400OnValidFor() {
    String mesh = meshes.create();
    for (String validFor : List.of("abc", "-1h", "0", "87601h")) {
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("mesh", mesh, "validFor", validFor))
          .post("/tokens/dataplane")
          .then()
          .statusCode(400)
          .body("invalid_parameters.size()", equalTo(1))
          .body("invalid_parameters[0].field", equalTo("validFor"));
    }
  }

  @Test
  void withoutValidForATokenLastsTenYearsAsInKuma() throws Exception {
    String mesh = meshes.create();
    String token =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("mesh", mesh))
            .post("/tokens/dataplane")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    JsonNode claims = decode(token.split("\\.")[1]);
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong())
        .isEqualTo(Duration.ofHours(87600).toSeconds());
    assertThat(claims.get("Name").asText()).isEmpty();
  }

  @Test
  void errorsAreKumaJsonEvenToAClientThatAcceptsOnlyText() {
    given()
        .contentType(ContentType.JSON)
        .accept("text/plain")
        .body("{\"mesh\": \"nowhere\", \"validFor\": \"1h\"}")
        .post("/tokens/dataplane")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("detail", equalTo("Mesh is not found"));
  }

  @Test
  void malformedJsonIsA400() {
    given()
        .contentType(ContentType.JSON)
        .body("{not json")
        .post("/tokens/dataplane")
        .then()
        .statusCode(400)
        .body("detail", containsString("the request body is not JSON"));
  }

  static JsonNode decode(String part) throws Exception {
    return JSON.readTree(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }
}
