package dev.quma.api.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium, driven through its chromedriver (browser downloads do not work here).
 * A failed wait says what it waited for, with the page's text and the browser console.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Skips the calling test (with the reason) when chromium or its driver is not installed. */
  public static Browser start() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the GUI's browser test needs "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + ": apt-get install -y chromium chromium-driver (.ci/run does)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--window-size=1400,900");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new Browser(new ChromeDriver(service, options));
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Waits until {@code condition} gives a non-null, non-false value, and answers it. */
  public <T> T await(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(200))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "timed out waiting for "
              + what
              + "\n--- page ---\n"
              + text()
              + "\n--- console ---\n"
              + console(),
          e);
    }
  }

  /** The first element matching {@code css}, once there. */
  public WebElement awaitElement(String css) {
    return await(css, d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
  }

  public String text() {
    try {
      return driver.findElement(By.tagName("body")).getText();
    } catch (RuntimeException e) {
      return "(no page: " + e.getMessage() + ")";
    }
  }

  public String console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(entry -> entry.getLevel() + " " + entry.getMessage())
        .collect(Collectors.joining("\n"));
  }

  /** Cuts the browser off the network (the API looks down), or reconnects it. */
  public void offline(boolean offline) {
    if (offline) {
      ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
      conditions.setOffline(true);
      conditions.setLatency(Duration.ZERO);
      driver.setNetworkConditions(conditions);
    } else {
      driver.deleteNetworkConditions();
    }
  }

  /** A PNG of the window into {@code file} (its directory is created). */
  public Path screenshot(Path file) throws IOException {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
  }

  public Object script(String javascript) {
    return driver.executeScript(javascript);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
