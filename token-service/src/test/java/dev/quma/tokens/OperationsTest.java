package dev.quma.tokens;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.ledger.LedgerSchema;
import dev.quma.tokens.testing.Issue;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health, metrics and the ledger schema's self-migration. */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
@QuarkusTestResource(PrivatePostgresResource.class)
class OperationsTest {
  @Inject Meshes meshes;
  @Inject LedgerSchema schema;
  @Inject Pool pool;

  @Test
  void readyOnceRedisPostgresAndTheSchemaAreThere() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'ledger-schema' }.status", equalTo("UP"));
  }

  @Test
  void metricsCountIssuedAndRevokedTokensAndTimeSigning() {
    String mesh = meshes.create();
    String token = Issue.token(mesh, "redis-1", "redis");
    Issue.token(mesh, "redis-2", "redis");
    given()
        .contentType("application/json")
        .body("{\"jti\": \"" + Issue.jti(token) + "\"}")
        .post("/tokens/dataplane/" + mesh + "/revocations")
        .then()
        .statusCode(200);

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("quma_dataplane_tokens_issued_total{mesh=\"" + mesh + "\"} 2.0")
        .contains("quma_dataplane_tokens_revoked_total{mesh=\"" + mesh + "\"} 1.0")
        .contains("quma_dataplane_token_signing_seconds_count");
  }

  @Test
  void theSchemaMigratesOnceEvenWhenReplicasStartTogether() {
    Integer[] applied =
        Uni.join()
            .all(schema.migrate(), schema.migrate(), schema.migrate())
            .andFailFast()
            .await()
            .atMost(Duration.ofSeconds(30))
            .toArray(Integer[]::new);

    assertThat(applied).containsOnly(0);
    var history =
        pool.query("select version, description from quma_schema_history order by version")
            .execute()
            .await()
            .atMost(Duration.ofSeconds(10));
    assertThat(history.rowCount()).isEqualTo(1);
    assertThat(history.iterator().next().getString("description"))
        .isEqualTo("dataplane token ledger");
    given().get("/q/health/live").then().statusCode(200).body("status", containsString("UP"));
  }
}
