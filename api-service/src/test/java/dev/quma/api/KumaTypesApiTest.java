package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.quma.api.testing.CleanStore;
import dev.quma.core.codec.UserMessages;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Types as Kuma's decoder takes them, over the API (issue 15, item 5); 400 bodies say what is wrong
 * without naming a class.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KumaTypesApiTest {
  @Inject CleanStore clean;

  @BeforeEach
  void firstStart() {
    clean.reset();
  }

  private static String dataplane(String port, String tags, String health) {
    return "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"t1\",\"networking\":{\"address\":\"1.2.3.4\","
        + "\"inbound\":[{\"port\":"
        + port
        + ",\"tags\":"
        + tags
        + health
        + "}]}}";
  }

  @Test
  void aQuotedPortIsAPort() {
    put("application/json", dataplane("\"8000\"", "{\"kuma.io/service\":\"a\"}", ""))
        .statusCode(201);
    given()
        .get("/meshes/default/dataplanes/t1")
        .then()
        .body("networking.inbound[0].port", equalTo(8000));
  }

  @Test
  void tagValuesThatAreNotStringsAreRefused() {
    put("application/json", dataplane("8000", "{\"kuma.io/service\":true,\"v\":12}", ""))
        .statusCode(400)
        .body(
            "invalid_parameters.field",
            contains("networking.inbound[0].tags[\"kuma.io/service\"]"));
  }

  @Test
  void readyThatIsNotABooleanIsRefused() {
    for (String ready : List.of("\"false\"", "0")) {
      put(
              "application/json",
              dataplane(
                  "8000", "{\"kuma.io/service\":\"a\"}", ",\"health\":{\"ready\":" + ready + "}"))
          .statusCode(400)
          .body("invalid_parameters.field", contains("networking.inbound[0].health.ready"))
          .body("invalid_parameters.reason", contains("must be a boolean"));
    }
    given().get("/meshes/default/dataplanes/t1").then().statusCode(404);
  }

  @Test
  void yamlAliasesAndNonStringKeysAreRefused() {
    String aliases =
        "type: Dataplane\nmesh: default\nname: t1\nnetworking:\n  address: 1.2.3.4\n  inbound:\n"
            + "  - port: 1\n    tags:\n      kuma.io/service: &a svc\n      x: *a\n";
    put("application/yaml", aliases)
        .statusCode(400)
        .body("invalid_parameters.reason[0]", org.hamcrest.Matchers.startsWith("YAML aliases"));
    String numericKey =
        "type: Dataplane\nmesh: default\nname: t1\nnetworking:\n  address: 1.2.3.4\n  inbound:\n"
            + "  - port: 1\n    tags:\n      kuma.io/service: svc\n      1: b\n";
    put("application/yaml", numericKey)
        .statusCode(400)
        .body(
            "invalid_parameters.reason[0]",
            org.hamcrest.Matchers.startsWith("the YAML key 1 is not a string"));
    given().get("/meshes/default/dataplanes/t1").then().statusCode(404);
  }

  @Test
  void badBodiesAreExplainedWithoutClassNames() {
    List<String> bodies =
        List.of(
            "{\"type\":\"Mesh\",\"name\":\"m\"} {}",
            "\u0000\u0000\u0000{",
            "- a\n- b\n",
            "? [a, b]\n: c\n",
            "type: Mesh\nname: m\nlogging: [1, 2]\n",
            "{\"type\":\"Mesh\",\"name\":[\"m\"]}",
            "{\"type\":\"Mesh\",\"name\":\"m\",\"skipCreatingInitialPolicies\":{\"a\":1}}");
    for (String body : bodies) {
      for (String type : List.of("application/json", "application/yaml")) {
        String answer =
            given()
                .contentType(type)
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .put("/meshes/m")
                .then()
                .statusCode(400)
                .extract()
                .asString();
        assertThat(UserMessages.namesAClass(answer))
            .as(body + " as " + type + ": " + answer)
            .isFalse();
        assertThat(answer).doesNotContain("Exception", "Event", "bound as");
      }
    }
  }

  private static io.restassured.response.ValidatableResponse put(String type, String body) {
    return given()
        .contentType(type.equals("application/json") ? ContentType.JSON.toString() : type)
        .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .put("/meshes/default/dataplanes/t1")
        .then();
  }
}
