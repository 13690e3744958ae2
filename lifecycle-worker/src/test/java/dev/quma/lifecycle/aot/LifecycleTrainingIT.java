package dev.quma.lifecycle.aot;

import static io.restassured.RestAssured.given;

import dev.quma.core.model.Labels;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.lifecycle.testing.Fleet;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The training run of lifecycle-worker's AOT cache (profile aot, docs/start.md): the packaged
 * worker takes the lease and sweeps a small fleet several times, so the sweep's classes and
 * profiles are in the cache. Not a test of behaviour, and not run by bin/test.
 */
@QuarkusIntegrationTest
@WithTestResource(PrivateRedisResource.class)
@WithTestResource(LifecycleTrainingIT.FastSweeps.class)
class LifecycleTrainingIT {
  private static final Pattern SWEEPS =
      Pattern.compile(
          "(?m)^quma_lifecycle_sweep_duration_seconds_count(\\{[^}]*\\})? ([0-9.E+]+)$");

  /** Sweeps every 200 ms instead of every 30 s, so that the training sees many. */
  public static class FastSweeps implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      return Map.of(
          "quma.lifecycle.sweep-interval", "200ms",
          "quma.lifecycle.lease.ttl", "2s",
          "quma.lifecycle.lease.renew-every", "500ms");
    }

    @Override
    public void stop() {}
  }

  @Test
  void sweepsAFleet() throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    try {
      ResourceStore store =
          new ResourceStore(
              Redis.createClient(vertx, PrivateRedisResource.url()), StoreSettings.DEFAULTS);
      store
          .put(
              new Resource<>(
                  ResourceMeta.of(ResourceType.MESH, null, "default", Map.of()), Mesh.EMPTY),
              OptionalLong.empty())
          .await()
          .atMost(Duration.ofSeconds(10));
      for (int i = 0; i < 20; i++) {
        store
            .put(
                Fleet.dataplane("default", "proxy-" + i, i % 2 == 0 ? Labels.direct() : Map.of()),
                OptionalLong.empty())
            .await()
            .atMost(Duration.ofSeconds(10));
      }
      given().get("/q/health/ready").then().statusCode(200);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (sweeps() < 10 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      if (sweeps() < 10) {
        throw new AssertionError("the worker swept fewer than 10 times in 30 s");
      }
    } finally {
      vertx.closeAndAwait();
    }
  }

  private static double sweeps() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m = SWEEPS.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(2)) : 0;
  }
}
