package dev.quma.tokens;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.testing.Issue;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: after the store lost its data, the mesh's first key is made again with serial 1, and a
 * token of it verifies at once on this service's own {@code /verify} (which verified tokens of the
 * lost key 1 a moment before), whether or not the wipe was noticed yet. Tokens of the lost key are
 * refused.
 */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
@QuarkusTestResource(PrivatePostgresResource.class)
@TestProfile(WipedStoreTest.OwnStore.class)
class WipedStoreTest {
  public static class OwnStore implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quma.store.identity-check-interval", "200ms");
    }
  }

  @Inject Meshes meshes;
  @Inject ResourceStore store;
  @Inject Redis redis;

  @Test
  void tokensOfTheNewKeyOneVerifyAtOnce() throws InterruptedException {
    createMesh("default");
    String lost = Issue.token("default", "redis-1", "redis");
    meshes.storeRedis1("default");
    verify(lost).then().statusCode(200);

    // Before the wipe is noticed: the caches still hold the lost key 1.
    wipe();
    String first = Issue.token("default", "redis-1", "redis");
    assertThat(Issue.kid(first)).isEqualTo(Issue.kid(lost)).isEqualTo("1");
    verify(first).then().statusCode(200).body("token.name", equalTo("redis-1"));
    verify(lost).then().statusCode(401);

    // And after it was noticed (and noticed again: a second wipe).
    awaitWipes(1);
    wipe();
    awaitWipes(2);
    String second = Issue.token("default", "redis-1", "redis");
    assertThat(Issue.kid(second)).isEqualTo("1");
    verify(second).then().statusCode(200);
    verify(first).then().statusCode(401);
  }

  /** The store loses everything; the mesh and its dataplane come back (as api and xDS do). */
  private void wipe() {
    redis.send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));
    createMesh("default");
    meshes.storeRedis1("default");
  }

  private void createMesh(String name) {
    store
        .create(
            new Resource<>(ResourceMeta.of(ResourceType.MESH, null, name, Map.of()), Mesh.EMPTY))
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private static void awaitWipes(int wipes) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      var health = given().get("/q/health/ready");
      Integer seen = health.jsonPath().getInt("checks.find { it.name == 'store' }.data.wipes");
      if (health.statusCode() == 200 && seen != null && seen == wipes) {
        return;
      }
      assertThat(System.nanoTime())
          .as("%d wipes noticed and recovered", wipes)
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static io.restassured.response.Response verify(String token) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("token", token, "mesh", "default", "name", "redis-1", "type", "dataplane"))
        .post("/tokens/dataplane/verify");
  }
}
