package io.connmgr.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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
    Path profile = Files.createTempDirectory("connmgr-screenshot-chromium");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(SampleConsoleBrowserTest.CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(SampleConsoleBrowserTest.CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--hide-scrollbars", "--user-data-dir=" + profile.toAbsolutePath());
    WebDriver driver = new ChromeDriver(service, options);
    try {
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
    } finally {
      driver.quit();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
