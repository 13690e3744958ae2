package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.quma.api.testing.CleanStore;
import dev.quma.core.auth.UserTokens;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kuma's rules with localhost-is-admin switched off, so that the test client counts as remote:
 * reads are open, writes and secrets need an admin user token.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestProfile(AuthTest.RemoteCallers.class)
class AuthTest {
  public static class RemoteCallers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quma.auth.localhost-is-admin", "false");
    }
  }

  private static final String MESH = "{\"type\":\"Mesh\",\"name\":\"prod\"}";

  @Inject CleanStore clean;
  @Inject UserTokens tokens;
  private String adminToken;

  @BeforeEach
  void firstStart() {
    clean.reset();
    adminToken = tokens.adminToken().await().atMost(Duration.ofSeconds(5));
  }

  @Test
  void readsAreOpenToAnyone() {
    given().get("/meshes").then().statusCode(200).body("total", equalTo(1));
  }

  @Test
  void writesWithoutATokenAreUnauthenticated() {
    given()
        .contentType(ContentType.JSON)
        .body(MESH)
        .put("/meshes/prod")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer")
        .body("title", equalTo("Unauthenticated"));
    given().delete("/meshes/default").then().statusCode(401);
    given().get("/meshes/prod").then().statusCode(404);
  }

  @Test
  void refusedTokensSayWhy() {
    given()
        .header("Authorization", "Bearer not-a-token")
        .contentType(ContentType.JSON)
        .body(MESH)
        .put("/meshes/prod")
        .then()
        .statusCode(401)
        .body("detail", containsString("not a well-formed JWT"));
    given()
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .contentType(ContentType.JSON)
        .body(MESH)
        .put("/meshes/prod")
        .then()
        .statusCode(401)
        .body("detail", containsString("Bearer"));
  }

  @Test
  void theAdminTokenMayWrite() {
    given()
        .header("Authorization", "Bearer " + adminToken)
        .contentType(ContentType.JSON)
        .body(MESH)
        .put("/meshes/prod")
        .then()
        .statusCode(201);
    given()
        .header("Authorization", "Bearer " + adminToken)
        .delete("/meshes/prod")
        .then()
        .statusCode(200);
  }

  @Test
  void aUserWhoIsNotAnAdminIsForbidden() {
    String viewer =
        tokens
            .issue("viewer", Set.of("team-a"), Duration.ofHours(1))
            .await()
            .atMost(Duration.ofSeconds(5));
    given().header("Authorization", "Bearer " + viewer).get("/meshes").then().statusCode(200);
    given()
        .header("Authorization", "Bearer " + viewer)
        .contentType(ContentType.JSON)
        .body(MESH)
        .put("/meshes/prod")
        .then()
        .statusCode(403)
        .body("title", equalTo("Access Denied"));
    given()
        .header("Authorization", "Bearer " + viewer)
        .get("/global-secrets/admin-user-token")
        .then()
        .statusCode(403);
  }

  @Test
  void secretsAreForAdminsOnlyEvenToRead() {
    given().get("/global-secrets").then().statusCode(401);
    given().get("/global-secrets/admin-user-token").then().statusCode(401);
    given().get("/meshes/default/secrets").then().statusCode(401);
    given()
        .header("Authorization", "Bearer " + adminToken)
        .get("/global-secrets")
        .then()
        .statusCode(200)
        .body("total", equalTo(2));
  }

  @Test
  void theConfigIsForAdminsAndWhoAmINamesTheTokensUser() {
    given().get("/config").then().statusCode(401);
    String viewer =
        tokens
            .issue("viewer", Set.of("team-a"), Duration.ofHours(1))
            .await()
            .atMost(Duration.ofSeconds(5));
    given().header("Authorization", "Bearer " + viewer).get("/config").then().statusCode(403);
    given()
        .header("Authorization", "Bearer " + adminToken)
        .get("/config")
        .then()
        .statusCode(200)
        .body("'quma.auth.localhost-is-admin'", equalTo("false"));
    given()
        .header("Authorization", "Bearer " + viewer)
        .get("/who-am-i")
        .then()
        .statusCode(200)
        .body("name", equalTo("viewer"))
        .body("groups", contains("mesh-system:authenticated", "team-a"));
    given()
        .get("/who-am-i")
        .then()
        .statusCode(200)
        .body("name", equalTo("mesh-system:anonymous"))
        .body("groups", contains("mesh-system:unauthenticated"));
  }

  @Test
  void healthStaysReachableForProbes() {
    given().get("/q/health/ready").then().statusCode(200);
  }
}
