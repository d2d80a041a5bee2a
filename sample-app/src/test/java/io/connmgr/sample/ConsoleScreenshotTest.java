package io.connmgr.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.console.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Takes the documentation's screenshots of a running sample node's console: the login page, then,
 * logged in as the admin, each page, saved to {@code docs/console/NAME.png}, the overview also to
 * {@code docs/console.png} for the README. Runs only when asked, against a node started with {@code
 * ./run-sample}:
 *
 * <pre>
 * mvn -pl sample-app test -Dtest=ConsoleScreenshotTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dscreenshot.url=http://localhost:8080 -Dscreenshot.password=THE_PASSWORD_IT_PRINTED
 * </pre>
 */
@EnabledIfSystemProperty(named = "screenshot.url", matches = "http://(localhost|127\\.0\\.0\\.1).*")
class ConsoleScreenshotTest {

  @Test
  void savesTheConsoleOfARunningNode() throws Exception {
    String base = System.getProperty("screenshot.url");
    String password = System.getProperty("screenshot.password", "");
    Path dir = Path.of(System.getProperty("screenshot.dir", "../docs/console"));
    Files.createDirectories(dir);
    try (HeadlessChromium chromium = HeadlessChromium.start("--hide-scrollbars")) {
      WebDriver driver = chromium.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class);
      driver.get(base + "/connmgr");
      wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
      save(driver, dir.resolve("login.png"));
      driver.findElement(By.name("username")).sendKeys("admin");
      driver.findElement(By.name("password")).sendKeys(password);
      driver.findElement(By.cssSelector("button[type=submit]")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stat-connections")));
      wait.until(d -> d.findElement(By.id("rounds")).getText().contains("watermark"));
      save(driver, dir.resolve("overview.png"));
      Files.copy(
          dir.resolve("overview.png"),
          dir.resolveSibling("console.png"),
          StandardCopyOption.REPLACE_EXISTING);
      String peer = null;
      for (String[] page :
          new String[][] {
            {"connections", "connections"},
            {"evictions", "evictions"},
            {"pins", "pins"},
            {"scorers", "scorers"}
          }) {
        driver.get(base + "/connmgr/" + page[0]);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("live")));
        if (peer == null && page[0].equals("connections")) {
          peer = driver.findElement(By.cssSelector("tr[data-peer]")).getAttribute("data-peer");
        }
        save(driver, dir.resolve(page[1] + ".png"));
      }
      driver.get(
          base
              + "/connmgr/peer?id="
              + java.net.URLEncoder.encode(peer, java.nio.charset.StandardCharsets.UTF_8));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("live")));
      save(driver, dir.resolve("peer.png"));
      driver.get(base + "/connmgr/no-such-page");
      save(driver, dir.resolve("not-found.png"));
    }
  }

  private static void save(WebDriver driver, Path target) throws java.io.IOException {
    Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(target)).isPositive();
  }
}
