package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.quma.api.testing.CleanStore;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a root URL configured, {@code next} links start with it whatever Host a request names. */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestProfile(RootUrlTest.BehindAProxy.class)
class RootUrlTest {
  public static class BehindAProxy implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quma.api.root-url", "https://quma.example.com/api/");
    }
  }

  @Inject CleanStore clean;

  @Test
  void nextLinksUseTheConfiguredRootUrl() {
    clean.reset();
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"m2\"}")
        .put("/meshes/m2")
        .then()
        .statusCode(201);
    given()
        .header("Host", "attacker.example")
        .get("/meshes?size=1")
        .then()
        .statusCode(200)
        .body("next", equalTo("https://quma.example.com/api/meshes?offset=1&size=1"));
  }
}
