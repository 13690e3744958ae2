package dev.quma.api.gui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.quma.api.testing.CleanStore;
import dev.quma.api.testing.FakeTokenService;
import dev.quma.api.testing.FakeTokenService.Seen;
import dev.quma.core.auth.UserTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the GUI needs from api-service besides the API: its files under {@code /gui}, and the token
 * ledger pass-through, which must forward the caller's own credentials and nothing that would make
 * the token-service take the caller for a local admin.
 */
@QuarkusTest
@WithTestResource(value = FakeTokenService.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GuiEndpointsTest {
  @Inject CleanStore clean;
  @Inject UserTokens tokens;
  private String adminToken;

  @BeforeEach
  void firstStart() {
    clean.ensureDefaults();
    FakeTokenService.SEEN.clear();
    FakeTokenService.ledger = "{\"fake\":true}";
    adminToken = tokens.adminToken().await().atMost(Duration.ofSeconds(5));
  }

  @Test
  void theGuiIsServedAtGuiWithOrWithoutItsSlash() {
    given()
        .redirects()
        .follow(false)
        .get("/gui")
        .then()
        .statusCode(301)
        .header("Location", containsString("/gui/"));
    given()
        .get("/gui/")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .header("Content-Security-Policy", containsString("default-src 'none'; script-src 'self'"))
        .header("X-Content-Type-Options", equalTo("nosniff"))
        .body(containsString("<script type=\"module\" src=\"js/app.js\">"));
    given().get("/gui/js/app.js").then().statusCode(200).contentType(containsString("javascript"));
  }

  @Test
  void theLedgerIsReadWithTheCallersOwnTokenAndOnlyThat() {
    given()
        .header("Authorization", "Bearer " + adminToken)
        .header("Cookie", "session=secret")
        .get("/gui/api/tokens/dataplane/default/ledger?name=redis 1&size=5&other=x")
        .then()
        .statusCode(200)
        .body("fake", equalTo(true));
    Seen seen = only();
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.uri()).isEqualTo("/tokens/dataplane/default/ledger?name=redis%201&size=5");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer " + adminToken);
    assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(seen.header("Cookie")).isNull();
  }

  @Test
  void aRevocationIsForwardedWithTheCallersTokenAndBody() {
    given()
        .header("Authorization", "Bearer " + adminToken)
        .header("X-Forwarded-For", "198.51.100.7")
        .contentType(ContentType.JSON)
        .body("{\"jti\":\"3f0c\"}")
        .post("/gui/api/tokens/dataplane/default/revocations")
        .then()
        .statusCode(200);
    Seen seen = only();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.uri()).isEqualTo("/tokens/dataplane/default/revocations");
    assertThat(seen.body()).isEqualTo("{\"jti\":\"3f0c\"}");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer " + adminToken);
    // A proxy's list is kept, and the caller (here the proxy's address) appended.
    assertThat(seen.header("X-Forwarded-For")).isEqualTo("198.51.100.7, 127.0.0.1");
  }

  @Test
  void theGuisOwnPageMayPostButPagesOfOtherOriginsMayNot() {
    String self = "http://localhost:" + io.restassured.RestAssured.port;
    given()
        .header("Origin", self)
        .header("Authorization", "Bearer " + adminToken)
        .contentType(ContentType.JSON)
        .body("{\"jti\":\"3f0c\"}")
        .post("/gui/api/tokens/dataplane/default/revocations")
        .then()
        .statusCode(200);
    given()
        .header("Origin", "http://evil.example")
        .header("Authorization", "Bearer " + adminToken)
        .contentType(ContentType.JSON)
        .body("{\"jti\":\"3f0c\"}")
        .post("/gui/api/tokens/dataplane/default/revocations")
        .then()
        .statusCode(403);
    assertThat(FakeTokenService.SEEN).hasSize(1);
  }

  @Test
  void aRemoteCallerWithoutATokenCannotRevokeNorEvenReachTheTokenService() {
    given()
        .header("X-Forwarded-For", "203.0.113.9")
        .contentType(ContentType.JSON)
        .body("{\"name\":\"redis-1\"}")
        .post("/gui/api/tokens/dataplane/default/revocations")
        .then()
        .statusCode(401)
        .body("title", equalTo("Unauthenticated"));
    assertThat(FakeTokenService.SEEN).isEmpty();
  }

  /**
   * A local caller without a token is admin here, and the pass-through vouches for it with the
   * admin token; its locality itself is never passed on: the same request without that token,
   * replayed against an admin-only endpoint of this service (which decides locality with the very
   * filter the token-service uses, service-http's CallerFilter), is refused.
   */
  @Test
  void aLocalCallerWithoutATokenIsVouchedForWithTheAdminTokenNotWithItsLocality() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"name\":\"redis-1\"}")
        .post("/gui/api/tokens/dataplane/default/revocations")
        .then()
        .statusCode(200);
    Seen seen = only();
    assertThat(seen.header("Authorization")).isEqualTo("Bearer " + adminToken);
    RequestSpecification replay = given();
    seen.headers()
        .forEach(
            (name, values) -> {
              if (!List.of("host", "content-length", "connection", "authorization")
                  .contains(name)) {
                replay.header(name, String.join(",", values));
              }
            });
    replay.get("/config").then().statusCode(401).body("title", equalTo("Unauthenticated"));
    // The same request without the forwarded-for mark would have been admin:
    given().get("/config").then().statusCode(200);
  }

  @Test
  void anOversizedRevocationBodyIsRefusedHereNotPassedOn() {
    given()
        .header("Authorization", "Bearer " + adminToken)
        .contentType(ContentType.JSON)
        .body("{\"jti\":\"" + "x".repeat(100_000) + "\"}")
        .post("/gui/api/tokens/dataplane/default/revocations")
        .then()
        .statusCode(413)
        .body("title", equalTo("Request body too large"));
    assertThat(FakeTokenService.SEEN).isEmpty();
  }

  @Test
  void onlyTheLedgerAndRevocationsArePassedThrough() {
    given()
        .header("Authorization", "Bearer " + adminToken)
        .post("/gui/api/tokens/dataplane/default/signing-keys")
        .then()
        .statusCode(org.hamcrest.Matchers.anyOf(equalTo(404), equalTo(405)));
    given()
        .header("Authorization", "Bearer " + adminToken)
        .get("/gui/api/tokens/dataplane/default/../../../q/metrics")
        .then()
        .statusCode(org.hamcrest.Matchers.not(equalTo(200)));
    assertThat(FakeTokenService.SEEN).isEmpty();
  }

  private static Seen only() {
    assertThat(FakeTokenService.SEEN).hasSize(1);
    return FakeTokenService.SEEN.getFirst();
  }
}
