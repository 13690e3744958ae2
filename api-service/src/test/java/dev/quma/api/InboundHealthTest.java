package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.api.testing.CleanStore;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.Departure;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.insight.ProbeResults;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overview tells each inbound's health and what decides it (probe, connection, API), from the
 * stored dataplane, the departures and the probe results as the xDS tier writes them, over real
 * HTTP against a real Redis.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class InboundHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject CleanStore clean;
  @Inject InsightWriter insights;
  @Inject ProbeResults probes;

  @BeforeEach
  void firstStart() {
    clean.reset();
  }

  @Test
  void eachInboundSaysWhetherItIsAnEndpointAndWhatDecides() throws Exception {
    put("plain", dataplane("plain", "", ""));
    put("api-down", dataplane("api-down", "", "\n    health: {ready: false}"));
    put("unreported", dataplane("unreported", PROBE, ""));
    put("failing", dataplane("failing", PROBE, ""));
    put("draining", dataplane("draining", "", ""));
    put("left", dataplane("left", "", ""));
    long since = Instant.parse("2026-01-02T03:04:05Z").toEpochMilli();
    record("failing", new ProbeHealth(since, true, Map.of(9000, false)));
    record("draining", new ProbeHealth(since, false, Map.of()));
    connect("left");
    insights
        .close("default", "left", subscription(Instant.now()), Departure.Kind.LEFT)
        .await()
        .atMost(Duration.ofSeconds(5));

    assertThat(health("plain")).isEqualTo(JSON.readTree("{\"port\":9000,\"ready\":true}"));
    assertThat(health("api-down").get("source").asText()).isEqualTo("api");
    assertThat(health("api-down").get("ready").asBoolean()).isFalse();
    assertThat(health("unreported"))
        .isEqualTo(
            JSON.readTree(
                "{\"port\":9000,\"ready\":false,\"source\":\"probe\","
                    + "\"reason\":\"no health report of its service yet\"}"));
    assertThat(health("failing"))
        .isEqualTo(
            JSON.readTree(
                "{\"port\":9000,\"ready\":false,\"source\":\"probe\","
                    + "\"reason\":\"its service probe fails\",\"since\":\"2026-01-02T03:04:05Z\"}"));
    assertThat(health("draining").get("source").asText()).isEqualTo("probe");
    assertThat(health("draining").get("reason").asText()).contains("readiness check fails");
    assertThat(health("left").get("source").asText()).isEqualTo("connection");
    assertThat(health("left").get("reason").asText()).isEqualTo("its proxy left");

    // A page of overviews says the same.
    JsonNode page =
        JSON.readTree(
            given()
                .get("/meshes/default/dataplanes/_overview?name=failing")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    assertThat(page.at("/items/0/inboundHealth/0")).isEqualTo(health("failing"));
  }

  @Test
  void anInboundReachedAtADomainNameThatDoesNotResolveIsNoEndpointAndSaysWhy() throws Exception {
    // .invalid never resolves (RFC 6761); localhost always does.
    put("unresolved", dataplane("unresolved", "", "").replace("10.0.0.1", "redis.quma.invalid"));
    put("named", dataplane("named", "", "").replace("10.0.0.1", "localhost"));

    JsonNode unresolved = health("unresolved");
    assertThat(unresolved.get("ready").asBoolean()).isFalse();
    assertThat(unresolved.get("source").asText()).isEqualTo("address");
    assertThat(unresolved.get("reason").asText())
        .isEqualTo("its address redis.quma.invalid does not resolve");
    assertThat(unresolved.get("since").asText()).isNotBlank();
    assertThat(health("named")).isEqualTo(JSON.readTree("{\"port\":9000,\"ready\":true}"));
  }

  private static final String PROBE =
      "\n    serviceProbe: {interval: 1s, timeout: 1s, unhealthyThreshold: 1,"
          + " healthyThreshold: 1, tcp: {}}";

  private static String dataplane(String name, String probe, String health) {
    return """
        type: Dataplane
        mesh: default
        name: %s
        networking:
          address: 10.0.0.1
          inbound:
          - port: 9000
            servicePort: 6379%s%s
            tags: {kuma.io/service: redis}
        """
        .formatted(name, probe, health);
  }

  private JsonNode health(String name) throws Exception {
    JsonNode overview =
        JSON.readTree(
            given()
                .get("/meshes/default/dataplanes/" + name + "/_overview")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    assertThat(overview.get("inboundHealth")).as(name).hasSize(1);
    return overview.at("/inboundHealth/0");
  }

  private void record(String name, ProbeHealth health) {
    assertThat(probes.record("default", name, health).await().atMost(Duration.ofSeconds(5)))
        .isEqualTo(ProbeResults.Outcome.WRITTEN);
  }

  private void connect(String name) {
    insights
        .open("default", name, subscription(null), Instant.now())
        .await()
        .atMost(Duration.ofSeconds(5));
  }

  private static void put(String name, String yaml) {
    given()
        .contentType("application/yaml")
        .body(yaml.getBytes(StandardCharsets.UTF_8))
        .put("/meshes/default/dataplanes/" + name)
        .then()
        .statusCode(201);
  }

  private static DataplaneInsight.DiscoverySubscription subscription(Instant disconnected) {
    return new DataplaneInsight.DiscoverySubscription(
        "sub-1", "xds-1", Instant.now().minusSeconds(30), disconnected, null, null, 0);
  }
}
