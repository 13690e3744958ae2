package dev.quma.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.api.testing.CleanStore;
import dev.quma.api.testing.KumactlControlPlane;
import dev.quma.core.auth.UserTokens;
import dev.quma.envoysim.SimulatedEnvoy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kumactl 2.9's Universal workflow, request by request: each test sends exactly what kumactl sends
 * for one command (method, path and query, headers, body; from Kuma 2.9's kumactl and its remote
 * store) to this api-service over real HTTP, with a real Redis, token-service and xDS replica
 * behind it, and checks the answer as kumactl reads it.
 */
@QuarkusTest
@WithTestResource(value = KumactlControlPlane.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KumactlReplayTest {
  /** The kumactl release whose requests these are; {@code GET /} must answer its version. */
  static final String KUMACTL_VERSION = "2.9.13";

  /** Go's zero time: kumactl's PUT bodies carry it as creation and modification time. */
  private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TestHTTPResource("/")
  URI api;

  @Inject CleanStore clean;
  @Inject UserTokens userTokens;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<SimulatedEnvoy> envoys = new ArrayList<>();

  @BeforeEach
  void defaults() {
    clean.ensureDefaults();
  }

  @AfterEach
  void disconnect() {
    envoys.forEach(SimulatedEnvoy::drop);
  }

  /** {@code kumactl config control-planes add --name quma --address http://host:5681}. */
  @Test
  void configControlPlanesAddAcceptsTheIndexAndNoVersionWarning() throws Exception {
    HttpResponse<String> index = send("GET", "/", null, Map.of());
    assertThat(index.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(index.body());
    // config validate: a Kuma control plane; every command: the same version as kumactl's.
    assertThat(body.get("tagline").asText()).isEqualTo("Kuma");
    assertThat(body.get("product").asText()).isEqualTo("Kuma");
    assertThat(body.get("version").asText()).isEqualTo(KUMACTL_VERSION);
    assertThat(body.get("version").asText()).doesNotContain("preview");
    // ... and what really answers is said too.
    assertThat(body.get("implementation").asText()).isEqualTo("Quma");
    assertThat(body.get("implementationVersion").asText()).isNotBlank();
  }

  /**
   * {@code kumactl apply -f mesh.yaml}, {@code get meshes}, {@code get mesh}, {@code delete mesh}.
   */
  @Test
  void meshesApplyGetAndDelete() throws Exception {
    String put = "{\"type\":\"Mesh\",\"name\":\"kumactl-m\",%s}".formatted(zeroTimes());
    // apply: a GET to tell create from update, then the PUT.
    assertKumaError(send("GET", "/meshes/kumactl-m", null, Map.of()), 404);
    assertThat(send("PUT", "/meshes/kumactl-m", put, Map.of()).statusCode()).isEqualTo(201);
    assertThat(send("GET", "/meshes/kumactl-m", null, Map.of()).statusCode()).isEqualTo(200);
    assertThat(send("PUT", "/meshes/kumactl-m", put, Map.of()).statusCode()).isEqualTo(200);

    JsonNode list = json(send("GET", "/meshes", null, Map.of()), 200);
    assertThat(names(list)).contains("default", "kumactl-m");
    JsonNode one = json(send("GET", "/meshes/kumactl-m", null, Map.of()), 200);
    assertThat(one.get("type").asText()).isEqualTo("Mesh");
    assertThat(one.get("creationTime").asText()).isNotEqualTo(GO_ZERO_TIME);

    assertThat(send("DELETE", "/meshes/kumactl-m", null, Map.of()).statusCode()).isEqualTo(200);
    assertKumaError(send("GET", "/meshes/kumactl-m", null, Map.of()), 404);
    assertKumaError(send("DELETE", "/meshes/kumactl-m", null, Map.of()), 404);
  }

  /** {@code kumactl apply/get/delete dataplane(s)} in mesh default. */
  @Test
  void dataplanesApplyGetAndDelete() throws Exception {
    assertKumaError(send("GET", "/meshes/default/dataplanes/kumactl-dp", null, Map.of()), 404);
    assertThat(
            send("PUT", "/meshes/default/dataplanes/kumactl-dp", dataplane("kumactl-dp"), Map.of())
                .statusCode())
        .isEqualTo(201);
    JsonNode list = json(send("GET", "/meshes/default/dataplanes", null, Map.of()), 200);
    assertThat(names(list)).contains("kumactl-dp");
    JsonNode one = json(send("GET", "/meshes/default/dataplanes/kumactl-dp", null, Map.of()), 200);
    assertThat(one.at("/networking/inbound/0/tags/kuma.io~1service").asText()).isEqualTo("web");
    assertThat(send("DELETE", "/meshes/default/dataplanes/kumactl-dp", null, Map.of()).statusCode())
        .isEqualTo(200);
    assertKumaError(send("GET", "/meshes/default/dataplanes/kumactl-dp", null, Map.of()), 404);
  }

  /** {@code kumactl apply/get/delete secret(s)}: admin only, and the local caller is admin. */
  @Test
  void secretsApplyGetAndDelete() throws Exception {
    String data = Base64.getEncoder().encodeToString("s3cr3t".getBytes(StandardCharsets.UTF_8));
    String put =
        "{\"type\":\"Secret\",\"mesh\":\"default\",\"name\":\"kumactl-s\",%s,\"data\":\"%s\"}"
            .formatted(zeroTimes(), data);
    assertKumaError(send("GET", "/meshes/default/secrets/kumactl-s", null, Map.of()), 404);
    assertThat(send("PUT", "/meshes/default/secrets/kumactl-s", put, Map.of()).statusCode())
        .isEqualTo(201);
    JsonNode list = json(send("GET", "/meshes/default/secrets", null, Map.of()), 200);
    assertThat(names(list)).contains("kumactl-s");
    JsonNode one = json(send("GET", "/meshes/default/secrets/kumactl-s", null, Map.of()), 200);
    assertThat(one.get("data").asText()).isEqualTo(data);
    assertThat(send("DELETE", "/meshes/default/secrets/kumactl-s", null, Map.of()).statusCode())
        .isEqualTo(200);
  }

  /** {@code kumactl inspect dataplanes}, {@code inspect meshes}, {@code inspect services}. */
  @Test
  void inspectDataplanesMeshesAndServices() throws Exception {
    send("PUT", "/meshes/default/dataplanes/kumactl-web", dataplane("kumactl-web"), Map.of());
    JsonNode dataplanes =
        json(send("GET", "/meshes/default/dataplanes+insights", null, Map.of()), 200);
    JsonNode web = item(dataplanes, "kumactl-web");
    assertThat(web.get("type").asText()).isEqualTo("DataplaneOverview");
    assertThat(web.at("/dataplane/networking/address").asText()).isEqualTo("10.9.0.1");
    assertThat(web.has("dataplaneInsight")).isTrue();
    // With a tag filter, as --tag kuma.io/service=web sends it.
    JsonNode tagged =
        json(
            send(
                "GET",
                "/meshes/default/dataplanes+insights?tag=kuma.io%2Fservice%3Aweb",
                null,
                Map.of()),
            200);
    assertThat(names(tagged)).contains("kumactl-web");

    // inspect meshes: the meshes, then their insights.
    assertThat(names(json(send("GET", "/meshes", null, Map.of()), 200))).contains("default");
    JsonNode insights = json(send("GET", "/mesh-insights", null, Map.of()), 200);
    JsonNode insight = item(insights, "default");
    assertThat(insight.get("type").asText()).isEqualTo("MeshInsight");
    assertThat(insight.at("/dataplanes/total").isNumber()).isTrue();

    JsonNode services = json(send("GET", "/meshes/default/service-insights", null, Map.of()), 200);
    assertThat(services.has("total")).isTrue();
    assertThat(services.get("items").isArray()).isTrue();
  }

  /**
   * {@code kumactl generate dataplane-token} on the API's address, issued by the token-service; the
   * token then opens an xDS stream, and {@code kumactl inspect dataplane --type=...} reads the
   * proxy: its policies, its config dump, its stats and clusters.
   */
  @Test
  void generateDataplaneTokenThenInspectTheProxy() throws Exception {
    String request =
        "{\"name\":\"kumactl-proxy\",\"mesh\":\"default\",\"tags\":null,\"type\":\"\","
            + "\"validFor\":\"24h0m0s\"}";
    HttpResponse<String> issued =
        send("POST", "/tokens/dataplane", request, Map.of("content-type", "application/json"));
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    String token = issued.body().trim();
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(claims.get("Name").asText()).isEqualTo("kumactl-proxy");
    assertThat(claims.get("Mesh").asText()).isEqualTo("default");

    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder("default.kumactl-proxy")
            .token(token)
            .dataplaneResource(dataplane("kumactl-proxy"))
            .build();
    envoys.add(envoy.connect(KumactlControlPlane.xds()));
    assertThat(envoy.await(WAIT, envoy::configured))
        .as("configured with the token from /tokens/dataplane, stream status " + envoy.closedWith())
        .isTrue();

    // inspect dataplane (--type=policies, the default): Kuma's shape, no policy types here.
    JsonNode policies =
        json(send("GET", "/meshes/default/dataplanes/kumactl-proxy/policies", null, Map.of()), 200);
    assertThat(policies.get("kind").asText()).isEqualTo("SidecarDataplane");
    assertThat(policies.get("total").asInt()).isZero();
    assertThat(policies.get("items").isArray()).isTrue();
    assertKumaError(send("GET", "/meshes/default/dataplanes/nobody/policies", null, Map.of()), 404);

    // --type=config-dump: Envoy's config_dump of the connected proxy.
    JsonNode dump = null;
    long until = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < until) {
      HttpResponse<String> answer =
          send("GET", "/meshes/default/dataplanes/kumactl-proxy/xds", null, Map.of());
      if (answer.statusCode() == 200) {
        dump = JSON.readTree(answer.body());
        break;
      }
      Thread.sleep(200);
    }
    assertThat(dump).as("the config dump of the connected proxy").isNotNull();
    assertThat(dump.get("configs").isArray()).isTrue();
    assertThat(
            send(
                    "GET",
                    "/meshes/default/dataplanes/kumactl-proxy/xds?include_eds=true",
                    null,
                    Map.of())
                .statusCode())
        .isEqualTo(200);

    // --type=stats and --type=clusters: no channel to the proxy's admin yet; Kuma's error body,
    // which kumactl prints.
    assertKumaError(
        send("GET", "/meshes/default/dataplanes/kumactl-proxy/stats", null, Map.of()), 404);
    assertKumaError(
        send("GET", "/meshes/default/dataplanes/kumactl-proxy/clusters", null, Map.of()), 404);
  }

  /**
   * Issuing on 5681 needs an admin exactly as on the token-service's own port: a caller that is not
   * local and has no token, or a non-admin user's token, is refused on both; a bad request is the
   * token-service's own 400 naming the field.
   */
  @Test
  void issuingOnTheApiAddressNeedsAnAdminAsOnTheTokenService() throws Exception {
    String request = "{\"name\":\"kumactl-proxy\",\"mesh\":\"default\",\"validFor\":\"1h\"}";
    Map<String, String> relayed =
        Map.of("content-type", "application/json", "X-Forwarded-For", "203.0.113.7");
    String user =
        userTokens.issue("alice", Set.of("team-a"), Duration.ofHours(1)).await().atMost(WAIT);
    Map<String, String> nonAdmin =
        Map.of("content-type", "application/json", "Authorization", "Bearer " + user);
    for (String base : List.of(api.toString(), KumactlControlPlane.tokenServiceUrl() + "/")) {
      assertThat(sendTo(base, "POST", "/tokens/dataplane", request, relayed).statusCode())
          .as("no credentials, not local, at " + base)
          .isEqualTo(401);
      assertThat(sendTo(base, "POST", "/tokens/dataplane", request, nonAdmin).statusCode())
          .as("a non-admin user at " + base)
          .isEqualTo(403);
    }
    HttpResponse<String> bad =
        send(
            "POST",
            "/tokens/dataplane",
            "{\"name\":\"kumactl-proxy\",\"mesh\":\"default\",\"validFor\":\"forever\"}",
            Map.of("content-type", "application/json"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("validFor");
  }

  // ---- kumactl's requests ---------------------------------------------------------------------

  private HttpResponse<String> send(
      String method, String pathAndQuery, String body, Map<String, String> headers)
      throws Exception {
    return sendTo(api.toString(), method, pathAndQuery, body, headers);
  }

  /**
   * One request as kumactl's Go client sends it: its user agent, {@code Accept: application/json}
   * (the remote store's), gzip accepted (Go's transport), {@code content-type} on bodies.
   */
  private HttpResponse<String> sendTo(
      String base, String method, String pathAndQuery, String body, Map<String, String> headers)
      throws Exception {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("User-Agent", "kumactl/" + KUMACTL_VERSION);
    all.put("Accept", "application/json");
    all.put("Accept-Encoding", "gzip");
    if (body != null) {
      all.put("content-type", "application/json");
    }
    all.putAll(headers);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base.replaceAll("/$", "") + pathAndQuery))
            .timeout(WAIT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    all.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String zeroTimes() {
    return "\"creationTime\":\"%s\",\"modificationTime\":\"%s\""
        .formatted(GO_ZERO_TIME, GO_ZERO_TIME);
  }

  /** A dataplane as kumactl apply marshals it: meta with Go's zero times, then the spec. */
  private static String dataplane(String name) {
    return ("{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"%s\",%s,"
            + "\"networking\":{\"address\":\"10.9.0.1\",\"inbound\":[{\"port\":8080,"
            + "\"servicePort\":80,\"tags\":{\"kuma.io/service\":\"web\","
            + "\"kuma.io/protocol\":\"http\"}}]}}")
        .formatted(name, zeroTimes());
  }

  /** Kuma's error body, which kumactl's client recognises by its title and details. */
  private static void assertKumaError(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.get("title").asText()).isNotBlank();
    assertThat(error.get("details").asText()).isNotBlank();
    assertThat(error.get("status").asInt()).isEqualTo(status);
  }

  private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.get("items").forEach(item -> names.add(item.get("name").asText()));
    return names;
  }

  private static JsonNode item(JsonNode list, String name) {
    for (JsonNode item : list.get("items")) {
      if (item.get("name").asText().equals(name)) {
        return item;
      }
    }
    throw new AssertionError(name + " is not in " + list);
  }
}
