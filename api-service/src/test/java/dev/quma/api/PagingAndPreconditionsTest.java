package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.quma.api.testing.CleanStore;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 15, item 8: {@code next} at the end of the range, and {@code If-Match: *}. */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PagingAndPreconditionsTest {
  private static final String MESH = "{\"type\":\"Mesh\",\"name\":\"%s\"}";

  @Inject CleanStore clean;

  @BeforeEach
  void firstStart() {
    clean.reset();
  }

  @Test
  void theLargestOffsetHasNoNextPage() {
    for (String path : new String[] {"/meshes", "/dataplanes", "/meshes/default/dataplanes"}) {
      given()
          .get(path + "?offset=9223372036854775807")
          .then()
          .statusCode(200)
          .body("items.size()", equalTo(0))
          .body("next", nullValue());
      given()
          .get(path + "?offset=9223372036854775800&size=1000")
          .then()
          .statusCode(200)
          .body("next", nullValue());
    }
    given().get("/meshes?offset=9223372036854775808").then().statusCode(400);
  }

  @Test
  void ifMatchStarUpdatesOnlyWhatExists() {
    given()
        .header("If-Match", "*")
        .contentType(ContentType.JSON)
        .body(MESH.formatted("m3"))
        .put("/meshes/m3")
        .then()
        .statusCode(412)
        .body("detail", startsWith("If-Match: * asks for an existing resource"));
    given().get("/meshes/m3").then().statusCode(404);

    given()
        .header("If-Match", "*")
        .contentType(ContentType.JSON)
        .body(MESH.formatted("default"))
        .put("/meshes/default")
        .then()
        .statusCode(200);
  }

  @Test
  void ifMatchStarDeletesOnlyWhatExists() {
    given().header("If-Match", "*").delete("/meshes/nope").then().statusCode(412);
    given().delete("/meshes/nope").then().statusCode(404);
    given()
        .contentType(ContentType.JSON)
        .body(MESH.formatted("gone"))
        .put("/meshes/gone")
        .then()
        .statusCode(201);
    given().header("If-Match", "*").delete("/meshes/gone").then().statusCode(200);
  }

  @Test
  void nextLinksNameTheHostTheRequestNamedWhenNoRootUrlIsSet() {
    given()
        .contentType(ContentType.JSON)
        .body(MESH.formatted("m2"))
        .put("/meshes/m2")
        .then()
        .statusCode(201);
    given()
        .get("/meshes?size=1")
        .then()
        .statusCode(200)
        .body("next", containsString("http://localhost:"))
        .body("next", containsString("offset=1"));
  }
}
