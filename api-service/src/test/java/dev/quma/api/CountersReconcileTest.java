package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.api.testing.CleanStore;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Keys;
import dev.quma.core.store.ResourceStore;
import dev.quma.testing.PrivateRedisResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The periodic reconcile of the API corrects counters that drifted (a hand edit) and counts
 * dataplanes written before the counters existed.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestProfile(CountersReconcileTest.FastReconcile.class)
class CountersReconcileTest {
  public static class FastReconcile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quma.api.insights-reconcile-interval", "300ms");
    }
  }

  @Inject CleanStore clean;
  @Inject Redis redis;
  @Inject ResourceStore store;
  @Inject MeterRegistry registry;

  @BeforeEach
  void firstStart() {
    clean.reset();
  }

  @Test
  void driftIsCorrectedWithinAnInterval() {
    for (String name : new String[] {"web-1", "web-2"}) {
      given()
          .contentType("application/yaml")
          .body(
              OperatorViewsTest.standard(name, "10.0.0.1", "web", true)
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .put("/meshes/default/dataplanes/" + name)
          .then()
          .statusCode(201);
    }
    Keys keys = store.keys();
    double replacedBefore = replaced();
    // A counter edited by hand, and a record as a version without counters left it.
    send(Request.cmd(Command.HSET).arg(keys.stats("default")).arg("dp\1standard\1offline").arg(7));
    send(
        Request.cmd(Command.HDEL)
            .arg(keys.record(ResourceType.DATAPLANE, "default", "web-2"))
            .arg("xs")
            .arg("xc"));

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (totalDataplanes() != 2 && System.nanoTime() < deadline) {
      sleep();
    }
    assertThat(totalDataplanes()).isEqualTo(2);
    // The drift was seen and replaced (a reconcile may come before any read of the drifted total).
    assertThat(replaced()).isGreaterThan(replacedBefore);
    given()
        .get("/mesh-insights/default")
        .then()
        .body("dataplanes.offline", org.hamcrest.Matchers.equalTo(2))
        .body("services.internal", org.hamcrest.Matchers.equalTo(1));
  }

  private double replaced() {
    var counter = registry.find("quma.insights.reconcile").tag("outcome", "replaced").counter();
    return counter == null ? 0 : counter.count();
  }

  private int totalDataplanes() {
    return given().get("/mesh-insights/default").then().extract().path("dataplanes.total");
  }

  private void send(Request request) {
    redis.send(request).await().atMost(Duration.ofSeconds(5));
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
