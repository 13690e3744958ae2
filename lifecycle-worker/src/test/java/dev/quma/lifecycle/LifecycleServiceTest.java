package dev.quma.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.quma.core.events.ChangeEvent;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.store.ResourceStore;
import dev.quma.lifecycle.testing.Fleet;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The service as it runs: its own timers, lease and sweeps against a real Redis, with the durations
 * of the test profile (idle timeout 2s, cleanup age 5s, a sweep every 250ms).
 */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
class LifecycleServiceTest {
  private static final Duration IDLE = Duration.ofSeconds(2);
  private static final Duration CLEANUP = Duration.ofSeconds(5);

  @Inject ResourceStore store;
  @Inject InsightWriter writer;
  @Inject InsightReader insights;
  @Inject ChangeStream changes;

  @Test
  void offlineAfterTheIdleTimeoutGoneAfterTheCleanupAgeAndReconnectsAreKept() throws Exception {
    Fleet fleet = new Fleet(store, writer, insights);
    fleet.mesh("shop");
    Instant start = Instant.now();
    for (String name : List.of("vanishing", "heartbeating", "returning")) {
      fleet.direct("shop", name);
      fleet.connected("shop", name, start, start);
    }
    ScheduledExecutorService xds = Executors.newSingleThreadScheduledExecutor();
    try {
      xds.scheduleAtFixedRate(
          () -> fleet.connected("shop", "heartbeating", start, Instant.now()),
          300,
          300,
          TimeUnit.MILLISECONDS);

      waitUntil(() -> !fleet.insight("shop", "vanishing").online(), Duration.ofSeconds(10));
      assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(IDLE);
      waitUntil(() -> !fleet.insight("shop", "returning").online(), Duration.ofSeconds(5));

      Instant back = Instant.now(); // it reconnects to some xDS replica and heartbeats again
      xds.scheduleAtFixedRate(
          () -> fleet.connected("shop", "returning", back, Instant.now()),
          0,
          300,
          TimeUnit.MILLISECONDS);

      waitUntil(() -> !fleet.exists("shop", "vanishing"), Duration.ofSeconds(15));
      assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(CLEANUP);
      List<ChangeEvent> events =
          changes
              .readMesh("shop", ChangeStream.BEGINNING, 100)
              .await()
              .atMost(Duration.ofSeconds(5));
      assertThat(events)
          .filteredOn(e -> e.op() == ChangeEvent.Op.DELETE)
          .extracting(ChangeEvent::name)
          .containsExactly("vanishing");

      Thread.sleep(1000); // a few more sweeps past the cleanup age of the first connection
      assertThat(fleet.exists("shop", "returning")).isTrue();
      assertThat(fleet.insight("shop", "returning").online()).isTrue();
      assertThat(fleet.exists("shop", "heartbeating")).isTrue();
      assertThat(fleet.insight("shop", "heartbeating").online()).isTrue();
    } finally {
      xds.shutdownNow();
    }

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(counter(metrics, "quma_lifecycle_dataplanes_offline_total"))
        .isGreaterThanOrEqualTo(2);
    assertThat(counter(metrics, "quma_lifecycle_dataplanes_deleted_total"))
        .isGreaterThanOrEqualTo(1);
    assertThat(metrics).contains("quma_lifecycle_leader 1.0");
    assertThat(metrics)
        .contains("quma_lifecycle_sweep_duration_seconds_count{outcome=\"completed\"");
  }

  @Test
  void readyWithRedisAndSaysItLeads() {
    waitUntil(() -> given().get("/q/health/ready").statusCode() == 200, Duration.ofSeconds(10));
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.name", hasItems("Redis connection health check", "lifecycle-sweeper"))
        .body("checks.find { it.name == 'lifecycle-sweeper' }.data.leader", equalTo(true));
  }

  static double counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.E+]+)$").matcher(metrics);
    assertThat(m.find()).as(name + " in /q/metrics").isTrue();
    return Double.parseDouble(m.group(2));
  }

  static void waitUntil(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
