package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.api.testing.CleanStore;
import dev.quma.hostile.RawHttp;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code .} and {@code ..} are never names (issue 15, item 4), in any spelling, on any method. */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class NamesTest {
  @Inject CleanStore clean;

  @BeforeEach
  void aVictimMesh() {
    clean.reset();
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"victim\"}")
        .put("/meshes/victim")
        .then()
        .statusCode(201);
  }

  @Test
  void deletingDotDotUnderAMeshsDataplanesDeletesNothing() throws Exception {
    // curl -X DELETE --path-as-is /meshes/victim/dataplanes/.. once deleted the mesh
    for (String target :
        List.of(
            "/meshes/victim/dataplanes/..",
            "/meshes/victim/dataplanes/%2e%2e",
            "/meshes/victim/dataplanes/.%2E",
            "/meshes/victim/dataplanes/.",
            "/meshes/victim/secrets/../..",
            "/meshes/./victim")) {
      RawHttp.Response response = send("DELETE", target);
      assertThat(response.status()).as(target).isEqualTo(400);
      assertThat(response.text()).as(target).contains("'.' and '..' are not names");
    }
    given().get("/meshes/victim").then().statusCode(200);
  }

  @Test
  void noMethodGetsPastADotSegment() throws Exception {
    for (String method : List.of("GET", "PUT", "HEAD", "OPTIONS", "POST")) {
      assertThat(send(method, "/meshes/victim/dataplanes/..").status()).as(method).isEqualTo(400);
    }
  }

  private static RawHttp.Response send(String method, String target) throws Exception {
    try (RawHttp http = new RawHttp("127.0.0.1", RestAssured.port, false, Duration.ofSeconds(10))) {
      return http.send(
          method, target, List.of(Map.entry("Host", "localhost:" + RestAssured.port)), null);
    }
  }
}
