package dev.quma.tokens.aot;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.testing.Issue;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The training run of token-service's AOT cache (profile aot, docs/start.md): tokens issued,
 * verified and listed in the ledger by the packaged service, so those paths are in the cache. Not a
 * test of behaviour, and not run by bin/test.
 */
@QuarkusIntegrationTest
@WithTestResource(PrivateRedisResource.class)
@WithTestResource(PrivatePostgresResource.class)
class TokenTrainingIT {

  @Test
  void issuesAndVerifiesTokens() {
    Vertx vertx = Vertx.vertx();
    try {
      ResourceStore store =
          new ResourceStore(
              Redis.createClient(vertx, PrivateRedisResource.url()), StoreSettings.DEFAULTS);
      Meshes meshes = new Meshes(store);
      String mesh = meshes.create();
      meshes.storeRedis1(mesh);
      given().get("/q/health/ready").then().statusCode(200);
      for (int i = 0; i < 20; i++) {
        String token = Issue.token(mesh, "redis-1", "redis");
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("token", token, "mesh", mesh, "name", "redis-1"))
            .post("/tokens/dataplane/verify")
            .then()
            .statusCode(200);
      }
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("token", "not.a.token", "mesh", mesh, "name", "redis-1"))
          .post("/tokens/dataplane/verify")
          .then()
          .statusCode(anyOf(is(401), is(403)));
      given().get("/tokens/dataplane/" + mesh + "/signing-keys").then().statusCode(200);
      given().get("/tokens/dataplane/" + mesh + "/ledger").then().statusCode(200);
      given().get("/q/metrics").then().statusCode(200);
    } finally {
      vertx.closeAndAwait();
    }
  }
}
