package dev.quma.lifecycle;

import static io.restassured.RestAssured.given;

import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Ready only while Redis answers; live all along (the process itself is fine). */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
class ReadinessTest {

  @Test
  void notReadyWhileRedisIsAwayAndReadyAgainWhenItIsBack() {
    LifecycleServiceTest.waitUntil(() -> status("/q/health/ready") == 200, Duration.ofSeconds(10));
    PrivateRedisResource.stopRedis();
    try {
      LifecycleServiceTest.waitUntil(
          () -> status("/q/health/ready") == 503, Duration.ofSeconds(10));
      LifecycleServiceTest.waitUntil(() -> status("/q/health/live") == 200, Duration.ofSeconds(5));
    } finally {
      PrivateRedisResource.restartRedis();
    }
    LifecycleServiceTest.waitUntil(() -> status("/q/health/ready") == 200, Duration.ofSeconds(15));
  }

  private static int status(String path) {
    return given().get(path).statusCode();
  }
}
