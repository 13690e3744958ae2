package dev.quma.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.api.testing.CleanStore;
import dev.quma.hostile.RawHttp;
import dev.quma.testing.PrivateRedisResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API's side of "localhost is admin" (on, as by default): a loopback peer is admin only without
 * proxy headers and with a loopback Host; no spelling of a path reaches the secrets under the rules
 * of another path; a page of another origin changes nothing. Sent byte for byte.
 */
@QuarkusTest
@WithTestResource(value = PrivateRedisResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LocalhostAdminTest {
  private static final String MESH = "{\"type\":\"Mesh\",\"name\":\"prod\"}";

  @Inject CleanStore clean;
  private RawHttp http;
  private String self;

  @BeforeEach
  void connect() {
    clean.reset();
    http = new RawHttp("127.0.0.1", RestAssured.port, false, Duration.ofSeconds(10));
    self = "localhost:" + RestAssured.port;
  }

  @AfterEach
  void disconnect() {
    http.close();
  }

  @Test
  void aDirectLoopbackCallerIsAdmin() throws Exception {
    assertThat(get("/global-secrets/admin-user-token", host(self)).status()).isEqualTo(200);
    assertThat(putMesh(host("127.0.0.1:" + RestAssured.port)).status()).isEqualTo(201);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "X-Real-IP: 1.2.3.4",
        "X-Client-IP: 1.2.3.4",
        "True-Client-IP: 1.2.3.4",
        "CF-Connecting-IP: 1.2.3.4",
        "Via: 1.1 proxy",
        "X-Forwarded-Host: a",
        "X-Forwarded-For: 1.2.3.4",
        "Forwarded: for=1.2.3.4",
        "Host: attacker.example",
      })
  void aProxyHeaderOrAForeignHostGetsNoAdminRights(String header) throws Exception {
    String[] parts = header.split(": ", 2);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (!parts[0].equals("Host")) {
      headers.add(Map.entry("Host", self));
    }
    headers.add(Map.entry(parts[0], parts[1]));
    RawHttp.Response secret = get("/global-secrets/admin-user-token", headers);
    assertThat(secret.status()).isEqualTo(401);
    assertThat(secret.text()).doesNotContain("\"data\"");
    assertThat(putMesh(headers).status()).isEqualTo(401);
    assertThat(get("/meshes/prod", host(self)).status()).isEqualTo(404);
  }

  @Test
  void noSpellingOfAPathReachesTheSecretsUnderTheRulesOfAnother() throws Exception {
    List<Map.Entry<String, String>> remote =
        List.of(Map.entry("Host", self), Map.entry("X-Forwarded-For", "1.2.3.4"));
    for (String target :
        List.of(
            "/meshes/x/dataplanes/../../../global-secrets",
            "/meshes/x/dataplanes/%2e%2e/%2e%2e/%2e%2e/global-secrets",
            "/q/../global-secrets",
            "/q/%2E%2E/global-secrets/admin-user-token")) {
      RawHttp.Response response = get(target, remote);
      assertThat(response.status()).as(target).isEqualTo(400);
      assertThat(response.text()).as(target).doesNotContain("\"data\"");
    }
    for (String target :
        List.of(
            "/global%2Dsecrets",
            "//global-secrets",
            "/global-secrets/",
            "/%67lobal-secrets/admin-user-token",
            "/meshes/default/%73ecrets",
            "/meshes/default//secrets")) {
      RawHttp.Response response = get(target, remote);
      assertThat(response.status()).as(target).isIn(401, 404);
      assertThat(response.text()).as(target).doesNotContain("\"data\"");
    }
  }

  @Test
  void aPageOfAnotherOriginChangesNothing() throws Exception {
    // CSRF: a page the operator's browser shows, sending to the local API with no token.
    RawHttp.Response refused =
        putMesh(List.of(Map.entry("Host", self), Map.entry("Origin", "http://evil.example")));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.text()).contains("another origin");
    // With a token it is an API client, held to the CORS method list (reads only by default).
    String token = adminToken();
    RawHttp.Response withToken =
        putMesh(
            List.of(
                Map.entry("Host", self),
                Map.entry("Origin", "http://evil.example"),
                Map.entry("Authorization", "Bearer " + token)));
    assertThat(withToken.status()).isEqualTo(403);
    assertThat(get("/meshes/prod", host(self)).status()).isEqualTo(404);
    // DNS rebinding: the page's origin and the Host agree, but neither is loopback.
    assertThat(
            putMesh(
                    List.of(
                        Map.entry("Host", "attacker.example"),
                        Map.entry("Origin", "http://attacker.example")))
                .status())
        .isEqualTo(401);
    // Reads stay open to other origins (CORS), without admin rights.
    assertThat(
            get(
                    "/global-secrets",
                    List.of(Map.entry("Host", self), Map.entry("Origin", "http://evil.example")))
                .status())
        .isEqualTo(401);
    assertThat(
            putMesh(List.of(Map.entry("Host", self), Map.entry("Origin", "http://" + self)))
                .status())
        .isEqualTo(201);
  }

  private String adminToken() throws Exception {
    String body = get("/global-secrets/admin-user-token", host(self)).text();
    String data = body.replaceAll("(?s).*\"data\":\"([^\"]+)\".*", "$1");
    return new String(java.util.Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
  }

  private static List<Map.Entry<String, String>> host(String host) {
    return List.of(Map.entry("Host", host));
  }

  private RawHttp.Response get(String target, List<Map.Entry<String, String>> headers)
      throws Exception {
    return http.send("GET", target, headers, null);
  }

  private RawHttp.Response putMesh(List<Map.Entry<String, String>> headers) throws Exception {
    List<Map.Entry<String, String>> all = new ArrayList<>(headers);
    all.add(Map.entry("Content-Type", "application/json"));
    return http.send("PUT", "/meshes/prod", all, MESH.getBytes(StandardCharsets.UTF_8));
  }
}
