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
 * Takes the README's screenshot of a running sample node's console: logs in as the admin and
 * saves the overview to {@code docs/console.png}. Runs only when asked, against a node started
 * with {@code ./run-sample}:
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
    Path target = Path.of(System.getProperty("screenshot.file", "../docs/console.png"));
    try (HeadlessChromium chromium = HeadlessChromium.start("--hide-scrollbars")) {
      WebDriver driver = chromium.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class);
      driver.get(base + "/connmgr");
      wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
      driver.findElement(By.name("username")).sendKeys("admin");
      driver.findElement(By.name("password")).sendKeys(password);
      driver.findElement(By.cssSelector("button[type=submit]")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stat-connections")));
      wait.until(d -> d.findElement(By.id("rounds")).getText().contains("watermark"));
      Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
      assertThat(Files.size(target)).isPositive();
    }
  }
}
