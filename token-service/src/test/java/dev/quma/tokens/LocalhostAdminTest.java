package dev.quma.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.hostile.RawHttp;
import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
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
 * "Localhost is admin" (on here, as by default) holds only for a loopback peer that sends no proxy
 * header and names a loopback host. The requests are the issue's reproductions, sent byte for byte.
 */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
@QuarkusTestResource(PrivatePostgresResource.class)
class LocalhostAdminTest {
  @Inject Meshes meshes;
  private RawHttp http;
  private String body;

  @BeforeEach
  void connect() {
    http = new RawHttp("127.0.0.1", RestAssured.port, false, Duration.ofSeconds(10));
    body = "{\"mesh\":\"" + meshes.create() + "\",\"name\":\"x\",\"validFor\":\"1h\"}";
  }

  @AfterEach
  void disconnect() {
    http.close();
  }

  @Test
  void aDirectLoopbackCallerNamingLocalhostIsAdmin() throws Exception {
    for (String host : List.of("localhost:" + RestAssured.port, "127.0.0.1", "[::1]:80")) {
      RawHttp.Response response = issue(Map.entry("Host", host));
      assertThat(response.status()).as(host).isEqualTo(200);
      assertThat(response.text()).as(host).startsWith("eyJ");
    }
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
        "X-Forwarded-Proto: https",
        "Forwarded: for=1.2.3.4",
      })
  void anyProxyHeaderMakesTheCallerRemote(String header) throws Exception {
    String[] parts = header.split(": ", 2);
    RawHttp.Response response =
        issue(Map.entry("Host", "localhost:" + RestAssured.port), Map.entry(parts[0], parts[1]));
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.text()).doesNotStartWith("eyJ").contains("needs an admin");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"attacker.example", "attacker.example:5683", "127.0.0.2", "localhost.evil"})
  void aHostThatIsNotLoopbackMakesTheCallerRemote(String host) throws Exception {
    assertThat(issue(Map.entry("Host", host)).status()).isEqualTo(401);
  }

  @Test
  void twoHostHeadersOrNoneMakeTheCallerRemote() throws Exception {
    assertThat(
            issue(Map.entry("Host", "localhost"), Map.entry("Host", "attacker.example")).status())
        .isIn(400, 401);
    // HTTP/1.1 requires a Host: the server refuses the request or treats it as remote.
    assertThat(issue().status()).isIn(400, 401);
  }

  @Test
  void noSpellingOfAPathLeavesTheAdminRule() throws Exception {
    List<Map.Entry<String, String>> remote =
        List.of(Map.entry("Host", "localhost"), Map.entry("X-Forwarded-For", "1.2.3.4"));
    for (String target :
        List.of(
            "/q/../tokens/dataplane",
            "/q/%2e%2e/tokens/dataplane",
            "/q/%2E%2E/tokens/dataplane",
            "/q/./../tokens/dataplane")) {
      RawHttp.Response response = post(target, remote);
      assertThat(response.status()).as(target).isEqualTo(400);
      assertThat(response.text()).as(target).contains("'.' and '..' are not names");
    }
    for (String target :
        List.of("//tokens/dataplane", "/tokens//dataplane", "/%74okens/dataplane")) {
      assertThat(post(target, remote).status()).as(target).isIn(401, 404);
    }
  }

  @Test
  void aStateChangingRequestFromAPageOfAnotherOriginIsRefused() throws Exception {
    String host = "localhost:" + RestAssured.port;
    RawHttp.Response evil =
        issue(Map.entry("Host", host), Map.entry("Origin", "http://evil.example"));
    assertThat(evil.status()).isEqualTo(403);
    assertThat(evil.text()).contains("another origin");
    RawHttp.Response rebinding =
        issue(
            Map.entry("Host", "attacker.example"), Map.entry("Origin", "http://attacker.example"));
    assertThat(rebinding.status()).isEqualTo(401);
    assertThat(issue(Map.entry("Host", host), Map.entry("Origin", "http://" + host)).status())
        .isEqualTo(200);
  }

  @SafeVarargs
  private RawHttp.Response issue(Map.Entry<String, String>... headers) throws Exception {
    return post("/tokens/dataplane", List.of(headers));
  }

  private RawHttp.Response post(String target, List<Map.Entry<String, String>> headers)
      throws Exception {
    List<Map.Entry<String, String>> all = new ArrayList<>(headers);
    all.add(Map.entry("Content-Type", "application/json"));
    return http.send("POST", target, all, body.getBytes(StandardCharsets.UTF_8));
  }
}
