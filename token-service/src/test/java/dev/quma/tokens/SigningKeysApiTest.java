package dev.quma.tokens;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.testing.Issue;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Rotation and removal of a mesh's signing keys through the API. */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
@QuarkusTestResource(PrivatePostgresResource.class)
class SigningKeysApiTest {
  @Inject Meshes meshes;
  @Inject ResourceStore store;
  @Inject Vertx vertx;

  @ConfigProperty(name = "quarkus.redis.hosts")
  String redisUrl;

  @Test
  void rotationKeepsOldTokensValidUntilTheirKeyIsRemoved() {
    String mesh = meshes.create();
    String fromKey1 = Issue.token(mesh, "redis-1", "redis");

    given()
        .post("/tokens/dataplane/" + mesh + "/signing-keys")
        .then()
        .statusCode(201)
        .body("serial", equalTo(2))
        .body("name", equalTo("dataplane-token-signing-key-" + mesh + "-2"))
        .body("signing", equalTo(true))
        .body("publicKey", startsWith("-----BEGIN PUBLIC KEY-----"));
    String fromKey2 = Issue.token(mesh, "redis-1", "redis");

    assertThat(Issue.kid(fromKey1)).isEqualTo("1");
    assertThat(Issue.kid(fromKey2)).isEqualTo("2");
    verify(fromKey1, mesh).then().statusCode(200).body("token.keySerial", equalTo(1));
    verify(fromKey2, mesh).then().statusCode(200).body("token.keySerial", equalTo(2));
    given()
        .get("/tokens/dataplane/" + mesh + "/signing-keys")
        .then()
        .statusCode(200)
        .body("items.serial", equalTo(List.of(1, 2)))
        .body("items.signing", equalTo(List.of(false, true)))
        .body("toString()", org.hamcrest.Matchers.not(containsString("PRIVATE")));

    given().delete("/tokens/dataplane/" + mesh + "/signing-keys/1").then().statusCode(200);

    verify(fromKey1, mesh)
        .then()
        .statusCode(401)
        .body("invalid_parameters[0].reason", equalTo("unknown_signing_key"));
    verify(fromKey2, mesh).then().statusCode(200);
    given().delete("/tokens/dataplane/" + mesh + "/signing-keys/1").then().statusCode(404);
    given().delete("/tokens/dataplane/" + mesh + "/signing-keys/one").then().statusCode(400);
    given().get("/tokens/dataplane/nowhere/signing-keys").then().statusCode(404);
    given()
        .post("/tokens/dataplane/nowhere/signing-keys")
        .then()
        .statusCode(400)
        .body("detail", equalTo("Mesh is not found"));
  }

  @Test
  void thisReplicaAndAnotherCreatingTheFirstKeyAtOnceEndWithOneKey() throws Exception {
    // The other replica: a SigningKeyManager with its own Redis connection and caches.
    Redis otherConnection =
        Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
    try {
      ResourceStore otherStore = new ResourceStore(otherConnection, StoreSettings.DEFAULTS);
      SigningKeyManager otherReplica =
          new SigningKeyManager(
              otherStore, new ChangeStream(otherConnection, otherStore.keys()), Optional.empty());
      for (int round = 0; round < 4; round++) {
        String mesh = meshes.create();
        List<CompletableFuture<String>> overHttp = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          overHttp.add(CompletableFuture.supplyAsync(() -> Issue.token(mesh, "redis-1", "redis")));
        }
        SigningKeyManager.SigningKey other =
            otherReplica.signingKey(mesh).await().atMost(Duration.ofSeconds(30));
        for (CompletableFuture<String> token : overHttp) {
          assertThat(Issue.kid(token.get())).isEqualTo("1");
        }
        assertThat(other.serial()).isEqualTo(1);
        assertThat(
                new ResourceQueries(store)
                    .list(ResourceType.SECRET, mesh, ListQuery.all())
                    .await()
                    .atMost(Duration.ofSeconds(5))
                    .items())
            .extracting(r -> r.name())
            .containsExactly("dataplane-token-signing-key-" + mesh + "-1");
      }
    } finally {
      otherConnection.close();
    }
  }

  private static io.restassured.response.Response verify(String token, String mesh) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("token", token, "mesh", mesh, "name", "redis-1"))
        .post("/tokens/dataplane/verify");
  }
}
