package io.connmgr.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.console.testing.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample's console in a real headless Chromium: the admin logs in through the form the sample
 * configures, lands on the console, sees the swarm being trimmed and may act (the trim button is
 * there, CSRF token and all). The page is saved to {@code target/screenshots/console.png}; the
 * README's {@code docs/console.png} is that file, copied. Skips when Chromium is absent, fails
 * instead when {@code CI=true}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "connmgr.low-water=60",
      "connmgr.high-water=90",
      "connmgr.grace-period=2s",
      "connmgr.silence-period=2s",
      "connmgr.maintenance-interval=250ms",
      "connmgr.console.sample-interval=1s",
      "connmgr.console.refresh-interval=1s",
      "sample.swarm.size=120",
      "sample.swarm.join-rate=60",
      "sample.swarm.tick=250ms",
      "sample.swarm.backoff-min=2s",
      "sample.swarm.backoff-max=8s",
      "sample.admin.password=" + SampleConsoleBrowserTest.PASSWORD,
      "sample.viewer.password=" + SampleConsoleBrowserTest.VIEWER_PASSWORD,
      "logging.level.io.connmgr.sample.RoundLog=warn"
    })
class SampleConsoleBrowserTest {

  static final String PASSWORD = "browser-secret";
  static final String VIEWER_PASSWORD = "viewer-secret";
  static final Path SCREENSHOT = Path.of("target", "screenshots", "console.png");

  static HeadlessChromium chromium;
  static WebDriver driver;

  @LocalServerPort int port;

  @BeforeAll
  static void startBrowser() throws IOException {
    chromium = HeadlessChromium.start();
    driver = chromium.driver();
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void theAdminLogsInAndSeesTheSwarmBeingTrimmed() throws IOException {
    driver.get("http://localhost:" + port + "/");
    // the root sends to the console, which sends an anonymous browser to the login form
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
    driver.findElement(By.name("username")).sendKeys("admin");
    driver.findElement(By.name("password")).sendKeys(PASSWORD);
    driver.findElement(By.cssSelector("button[type=submit]")).click();

    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stat-connections")));
    assertThat(driver.getCurrentUrl()).endsWith("/connmgr");
    // rounds ran, evictions are listed with their reasons, the chart has points
    wait.until(d -> d.findElement(By.id("rounds")).getText().contains("watermark"));
    wait.until(d -> d.findElement(By.id("evictions")).getText().contains("above high water"));
    wait.until(d -> !d.findElement(By.id("chart-line")).getAttribute("points").isBlank());
    // (the live part is replaced every second: read it through the wait, which retries)
    String low = wait.until(d -> d.findElement(By.id("stat-low")).getText());
    String high = wait.until(d -> d.findElement(By.id("stat-high")).getText());
    assertThat(low).contains("60");
    assertThat(high).contains("90");
    // the admin may act: the trim form is there and carries a CSRF token
    assertThat(driver.findElements(By.cssSelector("#trim-form input[name=_csrf]"))).isNotEmpty();

    Files.createDirectories(SCREENSHOT.getParent());
    Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(SCREENSHOT)).isPositive();

    // and the action goes through both CSRF checks (Spring Security's and the console's)
    // the live refresh may replace an element between finding and clicking it: try again
    wait.until(
        d -> {
          d.findElement(By.id("trim-now")).click();
          return true;
        });
    wait.until(
        d -> {
          var yes = d.findElement(By.id("confirm-yes"));
          if (!yes.isDisplayed()) {
            return false;
          }
          yes.click();
          return true;
        });
    wait.until(d -> d.findElement(By.id("flash")).getText().contains("Trim"));
  }

  @Test
  void theViewerLogsInThroughTheConsolesLoginPageAndMayOnlyLook() {
    driver.get("http://localhost:" + port + "/connmgr/login");
    driver.manage().deleteAllCookies();
    driver.get("http://localhost:" + port + "/connmgr/evictions");
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));
    assertThat(driver.getTitle()).isEqualTo("Sign in · connmgr");
    driver.findElement(By.name("username")).sendKeys("viewer");
    driver.findElement(By.name("password")).sendKeys(VIEWER_PASSWORD);
    driver.findElement(By.id("sign-in-submit")).click();
    // back where the viewer was going, with the page to look at and nothing to press
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("totals")));
    assertThat(driver.getCurrentUrl()).contains("/connmgr/evictions");
    assertThat(driver.findElement(By.cssSelector("header .mode")).getText()).isEqualTo("view only");
    driver.get("http://localhost:" + port + "/connmgr/connections");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("connections")));
    assertThat(driver.findElements(By.cssSelector("form[method=post], a.evict"))).isEmpty();
    driver.get("http://localhost:" + port + "/connmgr/login");
    driver.manage().deleteAllCookies();
  }
}
