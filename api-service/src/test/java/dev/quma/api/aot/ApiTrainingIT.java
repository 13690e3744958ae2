package dev.quma.api.aot;

import static io.restassured.RestAssured.given;

import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * The training run of api-service's AOT cache (profile aot, docs/start.md): the packaged service
 * answers the calls a fresh replica serves first, so their classes and profiles are in the cache.
 * Not a test of behaviour (bin/test has those), and not run by bin/test.
 */
@QuarkusIntegrationTest
@WithTestResource(PrivateRedisResource.class)
class ApiTrainingIT {
  private static final String DATAPLANE =
      """
      {"type": "Dataplane", "mesh": "default", "name": "backend-%d",
       "networking": {"address": "10.0.0.%d",
         "inbound": [{"port": 8000, "servicePort": 80, "tags": {"kuma.io/service": "backend"}}],
         "outbound": [{"port": 10000, "tags": {"kuma.io/service": "redis"}}]}}
      """;

  @Test
  void servesTheFirstRequestsOfAReplica() {
    given().get("/q/health/ready").then().statusCode(200);
    for (int i = 1; i <= 20; i++) {
      given()
          .contentType(ContentType.JSON)
          .body(DATAPLANE.formatted(i, i))
          .put("/meshes/default/dataplanes/backend-" + i)
          .then()
          .statusCode(201);
      given().get("/meshes/default/dataplanes/backend-" + i).then().statusCode(200);
    }
    given().get("/meshes").then().statusCode(200);
    given().get("/meshes/default/dataplanes?size=10").then().statusCode(200);
    given().get("/meshes/default/dataplanes/_overview").then().statusCode(200);
    given().get("/meshes/default/dataplanes/no-such-proxy").then().statusCode(404);
    given().get("/").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
    given().delete("/meshes/default/dataplanes/backend-1").then().statusCode(200);
  }
}
