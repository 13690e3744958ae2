package dev.quma.tokens.revoke;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.testing.Issue;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Long-expired revoked tokens leave the revocation list; live ones and unknown ids stay. */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
@QuarkusTestResource(PrivatePostgresResource.class)
class RevocationPrunerTest {
  @Inject Meshes meshes;
  @Inject RevocationPruner pruner;

  @Test
  void takesOffOnlyTokensTheLedgerKnowsToHaveExpired() throws Throwable {
    String mesh = meshes.create();
    String shortLived = Issue.jti(Issue.token(mesh, "redis-1", "redis", "1s"));
    String longLived = Issue.jti(Issue.token(mesh, "redis-2", "redis", "1h"));
    String issuedElsewhere = UUID.randomUUID().toString();
    revoke(mesh, List.of(shortLived, longLived, issuedElsewhere));

    assertThat(pruner.pruneAll()).as("nothing expired more than the grace ago").isZero();
    assertThat(listed(mesh)).containsExactlyInAnyOrder(shortLived, longLived, issuedElsewhere);

    // As if the grace after the short-lived token's expiry had passed.
    int pruned = pruner.pruneAll(Instant.now().plusSeconds(30));

    assertThat(pruned).isEqualTo(1);
    assertThat(listed(mesh)).containsExactlyInAnyOrder(longLived, issuedElsewhere);
    assertThat(pruner.pruneAll(Instant.now().plusSeconds(30))).as("idempotent").isZero();
  }

  private static void revoke(String mesh, List<String> jtis) {
    for (String jti : jtis) {
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("jti", jti))
          .post("/tokens/dataplane/" + mesh + "/revocations")
          .then()
          .statusCode(200);
    }
  }

  private static List<String> listed(String mesh) {
    return given()
        .get("/tokens/dataplane/" + mesh + "/revocations")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("revoked", String.class);
  }
}
