package dev.quma.tokens;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.quma.core.auth.Caller;
import dev.quma.core.auth.UserTokens;
import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * With localhost-is-admin off the test client counts as remote: every endpoint, reads included,
 * needs an admin user token (the same auth rules as api-service); health and metrics stay open.
 */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
@QuarkusTestResource(PrivatePostgresResource.class)
@TestProfile(TokenAuthTest.RemoteCallers.class)
class TokenAuthTest {
  public static class RemoteCallers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quma.auth.localhost-is-admin", "false");
    }
  }

  @Inject UserTokens users;
  @Inject Meshes meshes;

  @Test
  void onlyAdminsIssueTokens() {
    String mesh = meshes.create();
    String body = "{\"mesh\": \"" + mesh + "\", \"validFor\": \"1h\"}";

    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/tokens/dataplane")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer")
        .body("title", equalTo("Unauthenticated"));
    given()
        .header("Authorization", "Bearer " + token("ops", Set.of()))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/tokens/dataplane")
        .then()
        .statusCode(403)
        .body("detail", containsString("user \"ops\" is not an admin"));
    given()
        .header("Authorization", "Bearer " + token("alice", Set.of(Caller.ADMIN_GROUP)))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/tokens/dataplane")
        .then()
        .statusCode(200);
    given()
        .header("Authorization", "Bearer " + token("alice", Set.of(Caller.ADMIN_GROUP)))
        .get("/tokens/dataplane/" + mesh + "/ledger")
        .then()
        .statusCode(200)
        .body("items[0].issuedBy", equalTo("alice"));
  }

  @Test
  void readsAreForAdminsTooButHealthAndMetricsAreOpen() {
    given().get("/tokens/dataplane/default/ledger").then().statusCode(401);
    given().get("/tokens/dataplane/default/signing-keys").then().statusCode(401);
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
  }

  private String token(String name, Set<String> groups) {
    return users.issue(name, groups, Duration.ofHours(1)).await().atMost(Duration.ofSeconds(10));
  }
}
