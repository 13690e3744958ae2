package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.quma.api.testing.CleanStore;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One stored resource never breaks a read (issue 15, item 3): opaque fields are bounded when
 * written, and lists survive what an older version stored or what no longer reads.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class StoredResourceReadsTest {
  @Inject CleanStore clean;
  @Inject ResourceStore store;
  @Inject Redis redis;

  @BeforeEach
  void firstStart() {
    clean.reset();
  }

  static String nested(int levels) {
    String value = "{\"a\":1}";
    for (int i = 1; i < levels; i++) {
      value = "{\"a\":" + value + "}";
    }
    return value;
  }

  static String deepDataplane(String name, int levels) {
    return "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\""
        + name
        + "\",\"networking\":{\"address\":\"1.2.3.4\","
        + "\"inbound\":[{\"port\":1,\"tags\":{\"kuma.io/service\":\"a\"}}]},"
        + "\"metrics\":{\"type\":\"prometheus\",\"conf\":"
        + nested(levels)
        + "}}";
  }

  @Test
  void aDeeplyNestedMetricsConfIsRefusedWhenWritten() {
    given()
        .contentType(ContentType.JSON)
        .body(deepDataplane("deep", 996))
        .put("/meshes/default/dataplanes/deep")
        .then()
        .statusCode(400)
        .body("invalid_parameters.field", contains("metrics.conf"))
        .body("invalid_parameters.reason", contains("must not nest deeper than 32 levels"));
    given().get("/meshes/default/dataplanes/deep").then().statusCode(404);
  }

  @Test
  void aDeeplyNestedMeshSectionIsRefusedWhenWritten() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"deep\",\"logging\":" + nested(996) + "}")
        .put("/meshes/deep")
        .then()
        .statusCode(400)
        .body("invalid_parameters.field", contains("logging"));
    given().get("/meshes").then().statusCode(200).body("total", equalTo(1));
  }

  /** As an older version stored it, before the bound: every page still renders, record included. */
  @Test
  void listsRenderADeepRecordStoredEarlierAsItWasStored() {
    storeUnchecked(deepDataplane("deep", 996));
    storeUnchecked(
        "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"plain\",\"networking\":{\"address\":\"1.2.3.5\","
            + "\"inbound\":[{\"port\":1,\"tags\":{\"kuma.io/service\":\"b\"}}]}}");
    for (String path :
        List.of(
            "/meshes/default/dataplanes",
            "/dataplanes",
            "/meshes/default/dataplanes/_overview",
            "/dataplanes/_overview",
            "/meshes/default/dataplanes+insights")) {
      // RestAssured's JSON reader cannot nest a thousand levels: the body is checked as text.
      String body = given().get(path).then().statusCode(200).extract().asString();
      assertThat(body).as(path).contains("\"total\":2", "\"name\":\"plain\"", "\"name\":\"deep\"");
    }
    given().accept("application/yaml").get("/dataplanes").then().statusCode(200);
  }

  @Test
  void listsLeaveOutARecordThatNoLongerReads() {
    storeUnchecked(
        "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"plain\",\"networking\":{\"address\":\"1.2.3.5\","
            + "\"inbound\":[{\"port\":1,\"tags\":{\"kuma.io/service\":\"b\"}}]}}");
    storeUnchecked(
        "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"broken\",\"networking\":{\"address\":\"1.2.3.6\","
            + "\"inbound\":[{\"port\":1,\"tags\":{\"kuma.io/service\":\"c\"}}]}}");
    String key = store.keys().record(ResourceType.DATAPLANE, "default", "broken");
    redis
        .send(Request.cmd(Command.HSET).arg(key).arg("spec").arg("{\"networking\":"))
        .await()
        .atMost(Duration.ofSeconds(5));
    for (String path :
        List.of(
            "/meshes/default/dataplanes", "/dataplanes", "/meshes/default/dataplanes/_overview")) {
      given().get(path).then().statusCode(200).body("items.name", contains("plain"));
    }
  }

  private void storeUnchecked(String json) {
    var resource =
        ResourceCodec.instance()
            .decode(json.getBytes(StandardCharsets.UTF_8), Format.JSON, ResourceType.DATAPLANE)
            .toResource(ResourceType.DATAPLANE);
    store.put(resource, OptionalLong.empty()).await().atMost(Duration.ofSeconds(5));
  }
}
