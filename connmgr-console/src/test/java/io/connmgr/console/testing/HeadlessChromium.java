package io.connmgr.console.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, for the browser tests of the console and the sample app. The driver
 * and binary are given explicitly so Selenium Manager never runs (it would reach for the network).
 * Where they are absent the calling tests are skipped with the reason, and fail instead when {@code
 * CI=true}.
 */
public final class HeadlessChromium implements AutoCloseable {

  /** Debian's path; overridable ({@code -Dconnmgr.test.chromium=...}) to check the skip. */
  public static final Path CHROMIUM =
      Path.of(System.getProperty("connmgr.test.chromium", "/usr/bin/chromium"));

  /** Debian's path; overridable ({@code -Dconnmgr.test.chromedriver=...}). */
  public static final Path CHROMEDRIVER =
      Path.of(System.getProperty("connmgr.test.chromedriver", "/usr/bin/chromedriver"));

  private final WebDriver driver;
  private final Path profile;

  private HeadlessChromium(WebDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Starts a browser with a fresh profile and a 1400x1000 window.
   *
   * @param extraArguments further Chromium switches
   */
  public static HeadlessChromium start(String... extraArguments) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String message =
          "browser tests need "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " (apt-get install chromium chromium-driver)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail("CI=true and " + message);
      }
      // Surefire counts a class aborted before its first test as "0 run": say why in the log
      System.out.println("Browser tests skipped: " + message);
      Assumptions.abort("skipped: " + message);
    }
    Path profile = Files.createTempDirectory("connmgr-chromium");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                "--user-data-dir=" + profile.toAbsolutePath()));
    arguments.addAll(List.of(extraArguments));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(arguments);
    return new HeadlessChromium(new ChromeDriver(service, options), profile);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Quits the browser and deletes its profile. */
  @Override
  public void close() throws IOException {
    driver.quit();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
