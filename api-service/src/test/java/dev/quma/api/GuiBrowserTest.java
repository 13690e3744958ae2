package dev.quma.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.api.testing.Browser;
import dev.quma.api.testing.ControlPlaneProcesses;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.SimulatedEnvoy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The GUI in a real headless chromium against a running control plane: this api-service, an
 * xds-service replica and a lifecycle-worker as processes on a Redis of the test's own, and a
 * simulated Envoy over real gRPC. The dataplanes page shows a proxy online once it connects and
 * offline once it leaves, by polling (the page is never reloaded); empty and error states; server
 * side filters and pages; the detail page's YAML. Each test has a mesh of its own.
 */
@QuarkusTest
@WithTestResource(value = ControlPlaneProcesses.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GuiBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String LISTENER_TYPE = SimulatedEnvoy.LISTENERS;
  private static Browser browser;

  @TestHTTPResource("/gui/")
  URL gui;

  @Inject ResourceStore store;
  @Inject ChangeStream changes;

  private final List<SimulatedEnvoy> envoys = new ArrayList<>();

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

  @AfterEach
  void disconnect() {
    envoys.forEach(SimulatedEnvoy::drop);
    browser.offline(false);
    // The page's Content-Security-Policy allows only its own files: nothing it does breaks it.
    assertThat(browser.console()).doesNotContain("Content Security Policy", "SyntaxError");
  }

  @Test
  void aProxyShowsOnlineWhenItConnectsAndOfflineWhenItLeaves() throws Exception {
    createMesh("default");
    put("default", "redis-1", redis("default", "redis-1", "10.8.0.1"));
    put("default", "backend-1", backend("default", "backend-1", "10.8.0.2"));
    open("#/meshes/default/dataplanes");
    assertThat(status("redis-1")).isEqualTo("offline");
    assertThat(status("backend-1")).isEqualTo("offline");

    SimulatedEnvoy backend = join("default", "backend-1");
    browser.await("backend-1 online", d -> "online".equals(status("backend-1")));
    WebElement row = row("backend-1");
    assertThat(row.getText())
        .contains("Online", "10.8.0.2", "8000→80 backend", "10000 redis", "kuma.io/service=backend")
        .contains(ControlPlaneProcesses.xds().id())
        .contains("s ago");
    browser.await("backend-1's ACKs counted", d -> acks("backend-1") > 0);
    assertThat(row("backend-1").getText()).endsWith(acks("backend-1") + " / 0");
    assertThat(row("redis-1").getText()).contains("Offline", "never connected");
    Path shot = browser.screenshot(Path.of("target", "gui", "gui-dataplanes.png"));
    copyToDocs(shot);

    // The services page counts instances by status.
    open("#/meshes/default/services");
    WebElement service = browser.awaitElement("tr[data-service='backend'] [data-count='online']");
    assertThat(service.getText()).isEqualTo("1");
    assertThat(browser.awaitElement("tr[data-service='redis'] [data-count='offline']").getText())
        .isEqualTo("1");
    browser.screenshot(Path.of("target", "gui", "gui-services.png"));

    // Back on the dataplanes page, the proxy leaves: the next poll shows it offline.
    open("#/meshes/default/dataplanes");
    browser.await("backend-1 online again", d -> "online".equals(status("backend-1")));
    browser.script("window.notReloaded = true");
    backend.leave();
    browser.await("backend-1 offline after leaving", d -> "offline".equals(status("backend-1")));
    assertThat(browser.script("return window.notReloaded === true")).isEqualTo(true);
    assertThat(browser.text()).contains("Up to date.");

    // Its detail page: subscriptions and the resource as YAML.
    browser.driver().findElement(By.linkText("backend-1")).click();
    WebElement yaml = browser.awaitElement("pre.yaml");
    assertThat(yaml.getText())
        .contains("name: backend-1", "address: 10.8.0.2", "kuma.io/service: backend");
    assertThat(browser.awaitElement("tr[data-subscription]").getText())
        .contains(ControlPlaneProcesses.xds().id());
    browser.screenshot(Path.of("target", "gui", "gui-dataplane.png"));
  }

  @Test
  void aMeshWithoutDataplanesSaysHowToAddOne() {
    createMesh("gui-fresh");
    open("#/meshes/gui-fresh/dataplanes");
    WebElement empty = browser.awaitElement("[data-state='empty']");
    assertThat(empty.getText())
        .contains("No dataplanes yet: here is how to add one", "curl -X PUT", "mesh: gui-fresh");
    open("#/meshes/gui-fresh/services");
    assertThat(browser.awaitElement("[data-state='empty']").getText()).contains("No services yet");
    open("#/meshes/ghost/dataplanes");
    assertThat(browser.awaitElement("[data-state='error']").getText())
        .contains("Mesh ghost does not exist");
  }

  @Test
  void whenTheApiIsUnreachableThePageSaysSoAndRecoversByItself() {
    createMesh("gui-flaky");
    put("gui-flaky", "redis-1", redis("gui-flaky", "redis-1", "10.9.0.1"));
    open("#/meshes/gui-flaky/dataplanes");
    browser.awaitElement("tr[data-dataplane='redis-1']");
    browser.script("window.notReloaded = true");

    browser.offline(true);
    WebElement error = browser.awaitElement("[data-state='error']");
    assertThat(error.getText()).contains("The control plane API is unreachable");
    assertThat(browser.awaitElement("#refresh-status").getText())
        .isEqualTo("The API is unreachable; retrying.");

    browser.offline(false);
    browser.awaitElement("tr[data-dataplane='redis-1']");
    assertThat(browser.driver().findElement(By.id("refresh-status")).getText())
        .isEqualTo("Connection to the API is back.");
    assertThat(browser.script("return window.notReloaded === true")).isEqualTo(true);
  }

  @Test
  void filtersAndPagesAreTheServersAndLiveInTheLink() {
    createMesh("gui-fleet");
    for (int i = 1; i <= 30; i++) {
      String name = "web-%02d".formatted(i);
      put(
          "gui-fleet",
          name,
          web("gui-fleet", name, "10.10.0." + i, i % 3 == 0 ? "canary" : "stable"));
    }
    open("#/meshes/gui-fleet/dataplanes?size=25");
    browser.await("25 rows", d -> rows(d) == 25);
    assertThat(browser.text()).contains("Dataplanes 1–25 of 30", "Page 1 of 2");
    browser.driver().findElement(By.linkText("Next")).click();
    browser.await("the second page", d -> rows(d) == 5);
    assertThat(browser.driver().getCurrentUrl())
        .endsWith("#/meshes/gui-fleet/dataplanes?size=25&offset=25");
    assertThat(browser.text()).contains("Dataplanes 26–30 of 30");

    WebElement tag = browser.driver().findElement(By.id("filter-tag"));
    tag.clear();
    tag.sendKeys("track:canary");
    WebElement name = browser.driver().findElement(By.id("filter-name"));
    name.clear();
    name.sendKeys("web-1");
    name.submit();
    // web-12, web-15 and web-18 are the canaries whose names contain "web-1"
    browser.await("the filtered rows", d -> rows(d) == 3);
    assertThat(browser.driver().findElements(By.cssSelector("tr[data-dataplane]")))
        .extracting(e -> e.getAttribute("data-dataplane"))
        .containsExactly("web-12", "web-15", "web-18");
    assertThat(browser.driver().getCurrentUrl()).contains("name=web-1", "tag=track%3Acanary");

    // The link alone brings the same page back.
    open("#/meshes/gui-fleet/dataplanes?name=web-1&tag=track%3Acanary");
    browser.await("the filtered rows from the link", d -> rows(d) == 3);
    assertThat(browser.driver().findElement(By.id("filter-name")).getAttribute("value"))
        .isEqualTo("web-1");
  }

  @Test
  void everyFieldIsLabelledEveryTableCaptionedAndLinksWorkFromTheKeyboard() {
    createMesh("gui-keys");
    put("gui-keys", "redis-1", redis("gui-keys", "redis-1", "10.12.0.1"));
    open("#/meshes/gui-keys/dataplanes");
    browser.awaitElement("tr[data-dataplane='redis-1']");
    assertThat(
            browser.script(
                """
                return [...document.querySelectorAll('input, select')]
                  .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))
                  .map(e => e.id || e.outerHTML)"""))
        .asList()
        .isEmpty();
    assertThat(
            browser.script(
                """
                return [...document.querySelectorAll('table')].every(t => t.caption)
                  && [...document.querySelectorAll('th')].every(th => th.scope)"""))
        .isEqualTo(true);
    assertThat(browser.awaitElement("[role='status'][aria-live='polite']").getAttribute("id"))
        .isEqualTo("refresh-status");

    // Tab to the dataplane's link and follow it with Enter; the new page takes the focus.
    WebElement link = null;
    for (int i = 0; i < 40 && link == null; i++) {
      browser.driver().switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
      WebElement focused = browser.driver().switchTo().activeElement();
      if ("redis-1".equals(focused.getText()) && "a".equals(focused.getTagName())) {
        link = focused;
      }
    }
    assertThat(link).as("the dataplane's link, reached with Tab").isNotNull();
    link.sendKeys(org.openqa.selenium.Keys.ENTER);
    browser.awaitElement("pre.yaml");
    assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("main");
  }

  @Test
  void aHiddenTabDoesNotPollAndCatchesUpWhenShownAgain() throws Exception {
    createMesh("gui-hidden");
    open("#/meshes/gui-hidden/dataplanes");
    browser.awaitElement("[data-state='empty']");
    // Counts the page's reads; then makes the tab look hidden, as a browser does in the background.
    browser.script(
        """
        window.reads = 0;
        const fetch0 = window.fetch;
        window.fetch = (...args) => { window.reads++; return fetch0(...args); };
        window.hiddenNow = true;
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => window.hiddenNow});
        """);
    Thread.sleep(6_000); // longer than one polling interval
    assertThat(browser.script("return window.reads")).isEqualTo(0L);

    put("gui-hidden", "redis-1", redis("gui-hidden", "redis-1", "10.13.0.1"));
    browser.script(
        "window.hiddenNow = false; document.dispatchEvent(new Event('visibilitychange'))");
    browser.awaitElement("tr[data-dataplane='redis-1']");
    assertThat((Long) browser.script("return window.reads")).isPositive();
  }

  @Test
  void theTokenLedgerSaysWhenTheTokenServiceIsDown() {
    // The test profile points the pass-through at a port where nothing listens.
    given()
        .get("/gui/api/tokens/dataplane/default/ledger")
        .then()
        .statusCode(502)
        .body("title", org.hamcrest.Matchers.equalTo("Could not reach the token service"))
        .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception")));
    open("#/meshes/default/tokens");
    assertThat(browser.awaitElement("[data-state='error']").getText())
        .contains("The token service is unreachable", "The rest of the GUI works without it");
  }

  @Test
  void theMeshesPageListsEveryMeshWithItsCounts() {
    createMesh("gui-listed");
    put("gui-listed", "redis-1", redis("gui-listed", "redis-1", "10.11.0.1"));
    open("#/meshes");
    WebElement row = browser.awaitElement("tr[data-mesh='gui-listed']");
    assertThat(row.getText()).startsWith("gui-listed 1 0 0 1 1");
    row.findElement(By.linkText("gui-listed")).click();
    browser.await("the mesh's dataplanes", d -> rows(d) == 1);
  }

  @Test
  void theHomePageCountsMeshesDataplanesServicesAndXdsReplicas() throws Exception {
    createMesh("gui-home");
    put("gui-home", "web-1", web("gui-home", "web-1", "10.14.0.1", "stable"));
    join("gui-home", "web-1");
    open("#/");
    WebElement dataplanes = browser.awaitElement("[data-tile='dataplanes']");
    browser.await(
        "web-1 counted online",
        d ->
            Long.parseLong(
                    dataplanes.findElement(By.cssSelector("[data-count='online']")).getText())
                >= 1);
    long meshes =
        Long.parseLong(browser.awaitElement("[data-tile='meshes'] [data-count='total']").getText());
    assertThat(meshes).isGreaterThanOrEqualTo(2); // default and gui-home at least
    assertThat(browser.awaitElement("[data-tile='services'] [data-count='total']").getText())
        .isNotEqualTo("0");
    assertThat(browser.awaitElement("dl[data-replica]").getText()).contains("API replica", "Quma");
    WebElement xds = browser.awaitElement("tr[data-xds-replica='xds-service']");
    assertThat(xds.getAttribute("data-online")).isEqualTo("true");
    assertThat(xds.getText()).contains("Online", "gui-home");
    assertThat(browser.awaitElement("#crumbs").getText()).isEqualTo("Overview");
    copyToDocs(browser.screenshot(Path.of("target", "gui", "gui-home.png")), "gui-home.png");
    browser.driver().findElement(By.linkText("See the meshes")).click();
    browser.awaitElement("tr[data-mesh='gui-home']");
  }

  @Test
  void theDataplanePageShowsInboundsAsDataAndTheXdsConfigurationWithTheNackReason()
      throws Exception {
    createMesh("gui-xds");
    put("gui-xds", "backend-1", backend("gui-xds", "backend-1", "10.15.0.2"));
    // This proxy rejects every listener update, as an Envoy does a listener it cannot build.
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder("gui-xds.backend-1")
            .token(token("gui-xds", "backend-1"))
            .rejecting(update -> update.typeUrl().endsWith("Listener"))
            .build();
    envoys.add(envoy.connect(ControlPlaneProcesses.xds().channel()));
    assertThat(envoy.await(WAIT, () -> envoy.nacks(LISTENER_TYPE) > 0)).isTrue();

    open("#/meshes/gui-xds/dataplanes/backend-1");
    WebElement inbound = browser.awaitElement("tr[data-inbound='8000']");
    assertThat(inbound.getText()).contains("8000", "80", "kuma.io/service=backend", "Ready");
    assertThat(browser.text()).contains("Last update from the xDS replica");
    browser.await(
        "its status online",
        d -> d.findElements(By.xpath("//button[text()='Show the xDS configuration']")).size() == 1);
    browser.driver().findElement(By.xpath("//button[text()='Show the xDS configuration']")).click();
    WebElement nacks = browser.awaitElement("[data-nacks]");
    assertThat(nacks.getAttribute("data-nacks")).isEqualTo("1");
    assertThat(nacks.getText()).contains("Listeners (LDS) rejected", "simulated rejection");
    assertThat(browser.text()).contains("Per xDS type", "Clusters (CDS)");
    copyToDocs(
        browser.screenshot(Path.of("target", "gui", "gui-dataplane-xds.png")),
        "gui-dataplane-xds.png");
  }

  @Test
  void aMissingDataplaneStopsRefreshingAndLinksBackToTheList() throws Exception {
    createMesh("gui-gone");
    open("#/meshes/gui-gone/dataplanes/ghost");
    WebElement error = browser.awaitElement("[data-state='error']");
    assertThat(error.getText()).contains("No dataplane ghost in mesh gui-gone");
    browser.await(
        "the status line",
        d ->
            d.findElement(By.id("refresh-status"))
                .getText()
                .equals("Not refreshing this page: the API answered 404."));
    browser.script(
        """
        window.reads = 0;
        const fetch0 = window.fetch;
        window.fetch = (...args) => { window.reads++; return fetch0(...args); };
        """);
    Thread.sleep(6_000); // longer than one polling interval
    assertThat(browser.script("return window.reads")).isEqualTo(0L);
    error.findElement(By.linkText("Go back to the dataplanes of mesh gui-gone")).click();
    assertThat(browser.awaitElement("[data-state='empty']").getText())
        .contains("No dataplanes yet");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Loads the page afresh (a change of the hash alone would not reload it). */
  private void open(String hash) {
    browser.open("about:blank");
    browser.open(gui.toString() + hash);
  }

  private static int rows(WebDriver driver) {
    return driver.findElements(By.cssSelector("tr[data-dataplane]")).size();
  }

  private static WebElement row(String name) {
    return browser.awaitElement("tr[data-dataplane='" + name + "']");
  }

  private static String status(String name) {
    return row(name).getAttribute("data-status");
  }

  private static long acks(String name) {
    String text = row(name).findElements(By.tagName("td")).getLast().getText();
    return text.contains("/") ? Long.parseLong(text.split(" / ")[0].trim()) : 0;
  }

  /**
   * Screenshots in docs/, replaced only on request ({@code -Dquma.gui.update-screenshot=true}),
   * like golden files, so that a test run leaves the source tree as it was.
   */
  private static void copyToDocs(Path shot) throws Exception {
    copyToDocs(shot, "gui-dataplanes.png");
  }

  private static void copyToDocs(Path shot, String name) throws Exception {
    Path docs = Path.of("..", "docs");
    if (Boolean.getBoolean("quma.gui.update-screenshot")
        && Files.isDirectory(docs.getParent().resolve("api-service"))) {
      Files.createDirectories(docs);
      Files.copy(shot, docs.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private String token(String mesh, String name) {
    return ProxyTokens.issue(
            new SigningKeyManager(store, changes, Optional.empty()),
            mesh,
            name,
            Duration.ofHours(1))
        .await()
        .atMost(WAIT);
  }

  private SimulatedEnvoy join(String mesh, String name) {
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder(mesh + "." + name).token(token(mesh, name)).build();
    envoys.add(envoy.connect(ControlPlaneProcesses.xds().channel()));
    assertThat(envoy.await(WAIT, envoy::configured))
        .as(name + " configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
  }

  private static void createMesh(String name) {
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"Mesh\",\"name\":\"" + name + "\"}")
        .put("/meshes/" + name)
        .then()
        .statusCode(
            org.hamcrest.Matchers.anyOf(
                org.hamcrest.Matchers.equalTo(200), org.hamcrest.Matchers.equalTo(201)));
  }

  private static void put(String mesh, String name, String json) {
    given()
        .contentType(ContentType.JSON)
        .body(json)
        .put("/meshes/" + mesh + "/dataplanes/" + name)
        .then()
        .statusCode(
            org.hamcrest.Matchers.anyOf(
                org.hamcrest.Matchers.equalTo(200), org.hamcrest.Matchers.equalTo(201)));
  }

  private static String redis(String mesh, String name, String address) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s", "inbound": [{"port": 9000, "servicePort": 6379,
           "tags": {"kuma.io/service": "redis"}}]}}
        """
        .formatted(mesh, name, address);
  }

  private static String backend(String mesh, String name, String address) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s",
           "inbound": [{"port": 8000, "servicePort": 80,
             "tags": {"kuma.io/service": "backend", "kuma.io/protocol": "http"}}],
           "outbound": [{"port": 10000, "tags": {"kuma.io/service": "redis"}}]}}
        """
        .formatted(mesh, name, address);
  }

  private static String web(String mesh, String name, String address, String track) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s", "inbound": [{"port": 8080,
           "tags": {"kuma.io/service": "web", "track": "%s"}}]}}
        """
        .formatted(mesh, name, address, track);
  }
}
