package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.quma.api.testing.CleanStore;
import dev.quma.hostile.RawHttp;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No 5xx from input (issue 15, item 2): each reproduction gets a 4xx that names the problem; health
 * and metrics are read-only; a request without a Host is a 400, not an ERROR line.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class InputErrorsTest {
  private static final String DATAPLANE =
      "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"dp1\",\"networking\":{\"address\":\"1.2.3.4\","
          + "\"inbound\":[{\"port\":1,\"tags\":{\"kuma.io/service\":\"a\"}}]%s}}";

  @Inject CleanStore clean;

  @BeforeEach
  void firstStart() {
    clean.reset();
  }

  @Test
  void aBackendRefWithoutAKindNamesTheField() {
    given()
        .contentType(ContentType.JSON)
        .body(DATAPLANE.formatted(",\"outbound\":[{\"port\":10000,\"backendRef\":{}}]"))
        .put("/meshes/default/dataplanes/dp1")
        .then()
        .statusCode(400)
        .body("invalid_parameters.field", hasItem("networking.outbound[0].backendRef.kind"));
  }

  @Test
  void aReachableBackendWithoutAKindNamesTheField() {
    given()
        .contentType(ContentType.JSON)
        .body(
            DATAPLANE.formatted(
                ",\"transparentProxying\":{\"reachableBackends\":{\"refs\":[{\"name\":\"x\"}]}}"))
        .put("/meshes/default/dataplanes/dp1")
        .then()
        .statusCode(400)
        .body(
            "invalid_parameters.field",
            hasItem("networking.transparentProxying.reachableBackends.refs[0].kind"));
  }

  @Test
  void anEmptyContentTypeIsNamed() throws Exception {
    RawHttp.Response response =
        raw(
            "PUT",
            "/meshes/m2",
            List.of(Map.entry("Content-Type", "")),
            "{\"type\":\"Mesh\",\"name\":\"m2\"}");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text()).contains("the Content-Type header is empty");
    given().get("/meshes/m2").then().statusCode(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", ";;;", "application/", "*/json", "text/html;q"})
  void aMalformedAcceptIsNamedOnEveryGet(String accept) {
    for (String path : List.of("/meshes", "/meshes/default", "/", "/dataplanes/_overview")) {
      given()
          .header("Accept", accept)
          .get(path)
          .then()
          .statusCode(400)
          .body("detail", containsString("the Accept header is not a list of media types"));
    }
  }

  @Test
  void aHugeAcceptIsNamed() {
    given()
        .header("Accept", "a".repeat(5000))
        .get("/meshes")
        .then()
        .statusCode(400)
        .body("detail", containsString("Accept"));
  }

  @Test
  void headOnListsAnswersLikeGetWithoutABody() throws Exception {
    for (String path :
        List.of(
            "/meshes",
            "/meshes/default/dataplanes",
            "/dataplanes",
            "/meshes/default/dataplanes/_overview",
            "/dataplanes/_overview",
            "/global-secrets",
            "/mesh-insights")) {
      RawHttp.Response response = raw("HEAD", path, List.of(), null);
      assertThat(response.status()).as(path).isEqualTo(200);
      assertThat(response.body()).as(path).isEmpty();
    }
  }

  @Test
  void validAcceptListsStillChooseTheFormat() {
    given()
        .header("Accept", "text/html, application/yaml;q=0.9, */*;q=0.1")
        .get("/meshes/default")
        .then()
        .statusCode(200)
        .contentType(containsString("yaml"));
    given().header("Accept", "").get("/meshes").then().statusCode(200).body("total", equalTo(1));
  }

  @Test
  void healthAndMetricsAreReadOnly() throws Exception {
    // Issue 15: every method was answered with the health (200), as if a DELETE had succeeded.
    for (String path :
        List.of(
            "/q/health", "/q/health/ready", "/q/health/live", "/q/health/started", "/q/metrics")) {
      for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO")) {
        RawHttp.Response response = raw(method, path, List.of(), null);
        assertThat(response.status()).as(method + " " + path).isEqualTo(405);
        assertThat(response.header("Allow")).as(method + " " + path).isEqualTo("GET, HEAD");
        assertThat(response.text()).contains("\"status\":405").contains("use GET or HEAD");
      }
      assertThat(raw("GET", path, List.of(), null).status()).as("GET " + path).isEqualTo(200);
      assertThat(raw("HEAD", path, List.of(), null).status()).as("HEAD " + path).isEqualTo(200);
    }
  }

  @Test
  void aRequestWithoutAHostIsABadRequestAndADebugLine() throws Exception {
    // Vert.x fails such a request before any filter; Quarkus logged it as an ERROR.
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    java.util.logging.Logger edge =
        java.util.logging.Logger.getLogger("dev.quma.core.runtime.MissingHostAnswer");
    Level level = edge.getLevel();
    root.addHandler(capture);
    edge.setLevel(Level.FINE);
    try {
      for (String path : List.of("/meshes", "/q/health", "/nowhere")) {
        try (RawHttp http =
            new RawHttp("127.0.0.1", RestAssured.port, false, Duration.ofSeconds(10))) {
          RawHttp.Response response =
              http.send("GET", path, List.of(Map.entry("Connection", "close")), null);
          assertThat(response.status()).as(path).isEqualTo(400);
          assertThat(response.text())
              .as(path)
              .contains("\"type\":\"/std-errors\"")
              .contains("send exactly one Host header");
        }
      }
      try (RawHttp http =
          new RawHttp("127.0.0.1", RestAssured.port, false, Duration.ofSeconds(10))) {
        RawHttp.Response unreadable =
            http.send("GET", "/meshes", List.of(Map.entry("Host", "[::1")), null);
        assertThat(unreadable.status()).isEqualTo(400);
        assertThat(unreadable.text()).contains("the Host header is not a host name");
      }
    } finally {
      root.removeHandler(capture);
      edge.setLevel(level);
    }
    assertThat(records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()))
        .as("no warning or error for bad input")
        .isEmpty();
    assertThat(
            records.stream()
                .filter(r -> r.getLoggerName().endsWith("MissingHostAnswer"))
                .filter(r -> r.getLevel().intValue() < Level.INFO.intValue()))
        .as("one DEBUG line each")
        .hasSize(4);
  }

  private static RawHttp.Response raw(
      String method, String target, List<Map.Entry<String, String>> headers, String body)
      throws Exception {
    try (RawHttp http = new RawHttp("127.0.0.1", RestAssured.port, false, Duration.ofSeconds(10))) {
      List<Map.Entry<String, String>> all = new java.util.ArrayList<>(headers);
      all.add(0, Map.entry("Host", "localhost:" + RestAssured.port));
      return http.send(
          method, target, all, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }
  }
}
