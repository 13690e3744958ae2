package dev.quma.api.gui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.api.testing.Browser;
import dev.quma.api.testing.CleanStore;
import dev.quma.api.testing.FakeTokenService;
import dev.quma.api.testing.FakeTokenService.Seen;
import dev.quma.core.auth.UserTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The token ledger page in headless chromium, against a stand-in token-service that, like the real
 * one, refuses a relayed request without a user token. A browser on the control plane's host is
 * admin at the API, and the pass-through vouches for it with the admin token: the page lists the
 * ledger and revokes at once. A relayed caller gains nothing by going through the pass-through.
 */
@QuarkusTest
@WithTestResource(value = FakeTokenService.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenLedgerPageTest {
  private static final String ACTIVE = "3f0c1a2b-0000-4000-8000-000000000001";
  private static final String REVOKED = "3f0c1a2b-0000-4000-8000-000000000002";
  private static Browser browser;

  @TestHTTPResource("/gui/")
  URL gui;

  @Inject CleanStore clean;
  @Inject UserTokens tokens;

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void ledgerOfTwoTokens() {
    clean.ensureDefaults();
    FakeTokenService.SEEN.clear();
    Instant now = Instant.now();
    FakeTokenService.ledger =
        """
        {"total": 2, "next": null, "items": [
          {"jti": "%s", "mesh": "default", "name": "redis-1", "issuedAt": "%s", "expiresAt": "%s",
           "issuedBy": "mesh-system:admin", "revokedAt": null, "revokedBy": null},
          {"jti": "%s", "mesh": "default", "name": "redis-1", "issuedAt": "%s", "expiresAt": "%s",
           "issuedBy": "mesh-system:admin", "revokedAt": "%s", "revokedBy": "mesh-system:admin"}]}
        """
            .formatted(
                ACTIVE,
                now,
                now.plus(Duration.ofDays(1)),
                REVOKED,
                now.minusSeconds(60),
                now.plus(Duration.ofDays(1)),
                now.minusSeconds(30));
  }

  @Test
  void theLocalAdminSeesTheLedgerAtOnceAndRevokes() throws Exception {
    browser.open("about:blank");
    browser.open(gui + "#/meshes/default/tokens");
    // Admin by being local: the session line and the ledger agree, with no token to paste.
    WebElement active = browser.awaitElement("tr[data-jti='" + ACTIVE + "']");
    assertThat(browser.awaitElement("quma-session .who").getText())
        .isEqualTo("Signed in as mesh-system:admin (admin)");
    assertThat(active.getAttribute("data-token-state")).isEqualTo("active");
    WebElement revoked = browser.awaitElement("tr[data-jti='" + REVOKED + "']");
    assertThat(revoked.getText()).contains("Revoked");
    assertThat(revoked.findElements(By.tagName("button"))).isEmpty();
    String admin = tokens.adminToken().await().atMost(Duration.ofSeconds(5));
    Seen read = FakeTokenService.SEEN.getLast();
    assertThat(read.header("Authorization")).isEqualTo("Bearer " + admin);
    assertThat(read.header("X-Forwarded-For")).isNotNull();
    browser.screenshot(Path.of("target", "gui", "gui-tokens.png"));

    FakeTokenService.SEEN.clear();
    active.findElement(By.tagName("button")).click();
    browser.driver().switchTo().alert().accept();
    WebElement message = browser.awaitElement(".message");
    browser.await("the revocation's message", d -> !message.getText().isEmpty());
    assertThat(message.getText()).isEqualTo("Token " + ACTIVE + " revoked.");
    Seen post =
        FakeTokenService.SEEN.stream().filter(s -> s.method().equals("POST")).findFirst().get();
    assertThat(post.uri()).isEqualTo("/tokens/dataplane/default/revocations");
    assertThat(post.body()).isEqualTo("{\"jti\":\"" + ACTIVE + "\"}");
    assertThat(post.header("Authorization")).isEqualTo("Bearer " + admin);
  }

  @Test
  void aRelayedCallerWithoutATokenGetsNoAdminRightsThroughThePassThrough() {
    // Behind a proxy, the caller is not local: nothing is added to what it sent.
    io.restassured.RestAssured.given()
        .header("X-Forwarded-For", "203.0.113.9")
        .get("/gui/api/tokens/dataplane/default/ledger")
        .then()
        .statusCode(401);
    Seen relayed = FakeTokenService.SEEN.getLast();
    assertThat(relayed.header("Authorization")).isNull();
    assertThat(relayed.header("X-Forwarded-For")).startsWith("203.0.113.9, ");
  }
}
