package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.local.LocalRedis;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's reproduction against a real redis-server without persistence: {@code SHUTDOWN NOSAVE},
 * then the server started again, empty, on the same port. While it is down, requests get 503 with
 * {@code Retry-After} and the log one line; once it is back, the API is not ready until the default
 * mesh and the admin token exist again, and writes work at once.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestProfile(WipedStoreTest.QuickChecks.class)
class WipedStoreTest {
  public static class QuickChecks implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quma.store.identity-check-interval", "200ms");
    }
  }

  @ConfigProperty(name = "quarkus.redis.hosts")
  String redisUrl;

  private final List<LogRecord> log = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          log.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private LocalRedis restarted;

  @BeforeEach
  void captureLog() {
    java.util.logging.Logger.getLogger("dev.quma").addHandler(capture);
  }

  @AfterEach
  void stopCapture() {
    java.util.logging.Logger.getLogger("dev.quma").removeHandler(capture);
    if (restarted != null) {
      restarted.close();
    }
  }

  @Test
  void aRedisRestartedEmptyIsRecoveredFrom() throws Exception {
    awaitReady();
    given()
        .contentType("application/json")
        .body("{\"type\":\"Mesh\",\"name\":\"before\"}")
        .put("/meshes/before")
        .then()
        .statusCode(201);

    shutdownNoSave();
    for (int i = 0; i < 50; i++) {
      Response down = given().get("/meshes");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.header("Retry-After")).isEqualTo("1");
      assertThat(down.jsonPath().getInt("status")).isEqualTo(503);
      assertThat(down.body().asString()).doesNotContain("Exception", "at io.");
    }
    assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(503);

    restarted = LocalRedis.start(port(), null);
    long back = System.nanoTime();
    // Ready means the defaults are there: no window where it says UP on the empty store.
    awaitReady();
    long readyMillis = (System.nanoTime() - back) / 1_000_000;
    given().get("/meshes/default").then().statusCode(200);
    given().get("/global-secrets/admin-user-token").then().statusCode(200);
    System.out.println("ready " + readyMillis + " ms after Redis was back");

    // Writes acknowledged on the new store all stay, also across the next checks.
    int writes = 100;
    for (int i = 0; i < writes; i++) {
      given()
          .contentType("application/yaml")
          .body(
              OperatorViewsTest.standard("dp-" + i, "10.0.0.1", "web", true)
                  .getBytes(StandardCharsets.UTF_8))
          .put("/meshes/default/dataplanes/dp-" + i)
          .then()
          .statusCode(201);
    }
    Thread.sleep(600); // three checks
    assertThat(given().get("/meshes/default/dataplanes?size=1000").jsonPath().getInt("total"))
        .isEqualTo(writes);
    given().get("/meshes/before").then().statusCode(404); // it was in the lost store

    assertThat(lines("the store is unavailable")).isEqualTo(1);
    assertThat(lines("the store is back")).isEqualTo(1);
    assertThat(lines("the store lost its data")).isEqualTo(1);
    assertThat(lines("recovered from the wiped store")).isEqualTo(1);
    assertThat(log.stream().filter(r -> r.getThrown() != null).map(LogRecord::getMessage).toList())
        .isEmpty();
    assertThat(lines("unexpected error")).isZero();
  }

  private long lines(String prefix) {
    return log.stream()
        .map(r -> r.getMessage() == null ? "" : r.getMessage())
        .filter(m -> m.startsWith(prefix))
        .count();
  }

  private int port() {
    return URI.create(redisUrl).getPort();
  }

  /** What the issue did: the server stops without saving (it has no persistence either). */
  private void shutdownNoSave() throws IOException, InterruptedException {
    try (Socket socket = new Socket("127.0.0.1", port())) {
      OutputStream out = socket.getOutputStream();
      out.write("SHUTDOWN NOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.getInputStream().read(); // the server closes the connection as it goes
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (LocalRedis.answersPing("127.0.0.1", port())) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (given().get("/q/health/ready").statusCode() != 200) {
      assertThat(System.nanoTime()).as("ready within 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
