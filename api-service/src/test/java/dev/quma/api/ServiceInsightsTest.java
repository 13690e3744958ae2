package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.quma.api.testing.CleanStore;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.InsightWriter;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /meshes/{mesh}/service-insights} over real HTTP against a real Redis, with insights
 * written as the xDS tier writes them: each service's instances by status, as they connect, degrade
 * and leave.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ServiceInsightsTest {
  @Inject CleanStore clean;
  @Inject InsightWriter insights;

  @BeforeEach
  void firstStart() {
    clean.reset();
  }

  @Test
  void eachServiceCountsItsOnlineAndOfflineInstances() {
    put("web-1", OperatorViewsTest.standard("web-1", "10.0.0.1", "web", true));
    put("web-2", OperatorViewsTest.standard("web-2", "10.0.0.2", "web", true));
    put("api-1", OperatorViewsTest.standard("api-1", "10.0.0.3", "api", true));
    put("edge-1", OperatorViewsTest.gateway("edge-1", "10.0.0.4", "edge", "BUILTIN"));
    connect("web-1", null);
    connect("edge-1", null);

    given()
        .get("/meshes/default/service-insights")
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("next", nullValue())
        .body("items.name", contains("api", "edge", "web"))
        .body("items[0].type", equalTo("ServiceInsight"))
        .body("items[0].mesh", equalTo("default"))
        .body("items[0].serviceType", equalTo("internal"))
        .body("items[0].status", equalTo("offline"))
        .body("items[0].dataplanes.total", equalTo(1))
        .body("items[0].dataplanes.online", equalTo(0))
        .body("items[0].dataplanes.offline", equalTo(1))
        .body("items[1].serviceType", equalTo("gateway_builtin"))
        .body("items[1].status", equalTo("online"))
        .body("items[2].status", equalTo("partially_degraded"))
        .body("items[2].dataplanes.online", equalTo(1))
        .body("items[2].dataplanes.offline", equalTo(1))
        .body("items[2].dataplanes.total", equalTo(2));

    connect("web-2", null);
    connect("web-1", Instant.now());
    given()
        .get("/meshes/default/service-insights?name=we")
        .then()
        .body("total", equalTo(1))
        .body("items[0].dataplanes.online", equalTo(1))
        .body("items[0].dataplanes.offline", equalTo(1));

    given().delete("/meshes/default/dataplanes/web-1").then().statusCode(200);
    given()
        .get("/meshes/default/service-insights?name=web")
        .then()
        .body("items[0].status", equalTo("online"))
        .body("items[0].dataplanes.total", equalTo(1));
  }

  @Test
  void pagesAndUnknownMeshesAreAnsweredAsEveryListIs() {
    for (String service : List.of("a", "b", "c")) {
      put(service + "-1", OperatorViewsTest.standard(service + "-1", "10.0.1.1", service, true));
    }
    given()
        .get("/meshes/default/service-insights?size=2")
        .then()
        .body("total", equalTo(3))
        .body("items.name", contains("a", "b"))
        .body("next", containsString("offset=2"));
    given()
        .get("/meshes/default/service-insights?size=2&offset=2")
        .then()
        .body("items.name", contains("c"))
        .body("next", nullValue());
    given().get("/meshes/default/service-insights?size=0").then().statusCode(400);
    given()
        .get("/meshes/ghost/service-insights")
        .then()
        .statusCode(404)
        .body("title", equalTo("Could not retrieve resources"));
  }

  private static void put(String name, String yaml) {
    given()
        .contentType("application/yaml")
        .body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .put("/meshes/default/dataplanes/" + name)
        .then()
        .statusCode(201);
  }

  private void connect(String name, Instant disconnected) {
    DataplaneInsight.DiscoverySubscription open =
        new DataplaneInsight.DiscoverySubscription(
            "sub-" + name, "xds-1", Instant.now().minusSeconds(30), null, null, null, 0);
    insights.open("default", name, open, Instant.now()).await().atMost(Duration.ofSeconds(5));
    if (disconnected != null) {
      DataplaneInsight.DiscoverySubscription closed =
          new DataplaneInsight.DiscoverySubscription(
              open.id(), "xds-1", open.connectTime(), disconnected, null, null, 0);
      insights.close("default", name, closed).await().atMost(Duration.ofSeconds(5));
    }
  }
}
