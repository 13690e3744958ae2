package dev.quma.bootstrap.aot;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.bootstrap.testing.BootstrapTestResources;
import dev.quma.bootstrap.testing.Fixtures;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.local.LocalRedis;
import dev.quma.testing.SeedDataplanes;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The training run of bootstrap-service's AOT cache (profile aot, docs/start.md): the packaged
 * service, on HTTPS with a certificate from the control plane CA as bin/run starts it, answers
 * bootstrap requests (tokens checked, YAML and JSON answers, a refusal), so those paths are in the
 * cache. Not a test of behaviour, and not run by bin/test.
 */
@QuarkusIntegrationTest
@WithTestResource(BootstrapTestResources.class)
@WithTestResource(BootstrapTrainingIT.Ports.class)
class BootstrapTrainingIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Free ports for HTTPS and management, and a directory for the issued certificate's CA. */
  public static class Ports implements QuarkusTestResourceLifecycleManager {
    static volatile int https;
    static volatile int management;

    @Override
    public Map<String, String> start() {
      https = LocalRedis.freePort();
      management = LocalRedis.freePort();
      try {
        return Map.of(
            "quarkus.http.ssl-port", String.valueOf(https),
            "quarkus.management.port", String.valueOf(management),
            "quma.tls.dir", Files.createTempDirectory("bootstrap-training-tls").toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void stop() {}
  }

  @Test
  void answersBootstrapRequests() {
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, BootstrapTestResources.redisUrl());
      ResourceStore store = new ResourceStore(redis, StoreSettings.DEFAULTS);
      Fixtures fixtures =
          new Fixtures(
              store, new ChangeStream(redis, store.keys()), new InsightWriter(redis, store.keys()));
      fixtures.mesh("default");
      management().get("/q/health/ready").then().statusCode(200);
      for (int i = 1; i <= 10; i++) {
        String name = "redis-" + i;
        String body =
            request(
                name,
                fixtures.token("default", name),
                SeedDataplanes.redis("default", name, "10.0.0." + i));
        // The Envoy bootstrap as YAML (kuma-dp's default), then in the JSON envelope.
        for (String accept : List.of("*/*", "application/json")) {
          https()
              .contentType("application/json")
              .accept(accept)
              .body(body)
              .post("/bootstrap")
              .then()
              .statusCode(200);
        }
      }
      https()
          .contentType("application/json")
          .body(
              request(
                  "redis-x",
                  "not.a.token",
                  SeedDataplanes.redis("default", "redis-x", "10.0.0.99")))
          .post("/bootstrap")
          .then()
          .statusCode(anyOf(is(401), is(403)));
      management().get("/q/metrics").then().statusCode(200);
    } finally {
      vertx.closeAndAwait();
    }
  }

  private static RequestSpecification https() {
    return given().relaxedHTTPSValidation().baseUri("https://localhost").port(Ports.https);
  }

  private static RequestSpecification management() {
    return given().baseUri("http://localhost").port(Ports.management);
  }

  private static String request(String name, String token, String resource) {
    var node =
        JSON.createObjectNode()
            .put("mesh", "default")
            .put("name", name)
            .put("proxyType", "dataplane")
            .put("dataplaneToken", token)
            .put("dataplaneResource", resource);
    node.putObject("version").putObject("kumaDp").put("version", "2.9.0");
    return node.toString();
  }
}
