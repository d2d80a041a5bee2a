package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.LeaseDecision;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.Registration;
import io.connmgr.Trigger;
import io.connmgr.console.testing.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in a real browser (Debian's chromium driven by chromedriver) against the running
 * application: live numbers, countdowns, a pin from the table, an eviction through its
 * confirmation, and a viewer who sees no buttons. Skips when the browser is absent, fails instead
 * when {@code CI=true}. Screenshots go to {@code target/screenshots/}.
 */
@SpringBootTest(classes = ConsoleTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"connmgr.console.refresh-interval=500ms", "connmgr.console.sample-interval=200ms",
        "connmgr.console.cache-ttl=0s"})
class ConsoleBrowserTest {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  static HeadlessChromium chromium;
  static WebDriver driver;

  @LocalServerPort int port;
  @Autowired ConnectionManager manager;
  @Autowired Swarm swarm;

  final List<ManagedConnection> opened = new ArrayList<>();
  final List<Registration> registrations = new ArrayList<>();

  @BeforeAll
  static void startBrowser() throws IOException {
    chromium = HeadlessChromium.start();
    driver = chromium.driver();
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @AfterEach
  void closeConnections() {
    registrations.forEach(Registration::close);
    opened.forEach(ManagedConnection::closed);
    manager.snapshot().peers().forEach(p -> manager.unpin(p.id()));
    forgetSession();
  }

  /**
   * Leaves the console for a page of the same origin that does not poll (so no refresh in flight
   * can bring a session cookie back), then deletes the cookies.
   */
  void forgetSession() {
    driver.get(url("/connmgr/assets/console.css"));
    driver.manage().deleteAllCookies();
  }

  ManagedConnection open(String peer) {
    ManagedConnection c = swarm.open(peer, Direction.INBOUND);
    opened.add(c);
    return c;
  }

  String url(String path) {
    return "http://localhost:" + port + path;
  }

  WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  void logIn(String user) {
    forgetSession();
    driver.get(url("/connmgr"));
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
    driver.findElement(By.name("username")).sendKeys(user);
    driver.findElement(By.name("password")).sendKeys(ConsoleTestApp.PASSWORD);
    driver.findElement(By.cssSelector("button[type=submit]")).click();
    try {
      waiting().until(d -> !d.getCurrentUrl().contains("/login"));
      driver.get(url("/connmgr"));
      waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("stat-connections")));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no overview after logging in as " + user + " at "
          + driver.getCurrentUrl() + ":\n" + driver.getPageSource(), e);
    }
  }

  void screenshot(String name) throws IOException {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name + ".png"), png);
  }

  String text(By by) {
    return waiting().until(d -> d.findElement(by).getText());
  }

  @Test
  void overviewNumbersChangeWhileConnectionsOpen() throws IOException {
    logIn("admin");
    int before = Integer.parseInt(text(By.id("stat-connections")));
    String refreshedBefore = driver.findElement(By.tagName("body")).getAttribute("data-refreshed-at");

    for (int i = 0; i < 3; i++) {
      open("live-" + i);
    }
    waiting().until(ExpectedConditions.textToBe(By.id("stat-connections"),
        Integer.toString(before + 3)));
    waiting().until(ExpectedConditions.textToBe(By.id("stat-inbound"),
        Integer.toString(manager.info().inbound())));
    for (int i = 3; i < 8; i++) {
      open("live-" + i);
    }
    waiting().until(ExpectedConditions.textToBe(By.id("stat-connections"),
        Integer.toString(before + 8)));

    assertThat(driver.getCurrentUrl()).startsWith(url("/connmgr"));
    assertThat(driver.findElement(By.tagName("body")).getAttribute("data-refreshed-at"))
        .isNotNull().isNotEqualTo(refreshedBefore);
    waiting().until(d -> !d.findElement(By.id("chart-line")).getAttribute("points").isBlank());
    screenshot("overview");
  }

  @Test
  void aLeasesTimeLeftCountsDownInThePage() throws IOException {
    ManagedConnection c = open("leased-peer");
    c.lease(Duration.ofSeconds(90), lease -> LeaseDecision.release());
    c.openStream("/ipfs/bitswap/1.2.0", Direction.OUTBOUND)
        .update(ConsoleSecuredTest.NOTES, n -> n.append("wants 12 blocks"));
    c.update(ConsoleSecuredTest.NOTES, n -> n.append("rtt 18 ms"));
    manager.tagPeer(PeerId.of("leased-peer"), "bitswap", 12);
    logIn("admin");
    driver.get(url("/connmgr/connections?leased=yes"));
    String first = text(By.cssSelector("tr[data-peer='leased-peer'] .countdown"));
    assertThat(first).matches("1m \\d\\ds|\\d+\\.\\d s");
    waiting().until(d -> !d.findElement(By.cssSelector("tr[data-peer='leased-peer'] .countdown"))
        .getText().equals(first));
    screenshot("connections");
    driver.get(url("/connmgr/peer?id=leased-peer"));
    String onPeerPage = text(By.cssSelector("article.conn .countdown"));
    waiting().until(d -> !d.findElement(By.cssSelector("article.conn .countdown")).getText()
        .equals(onPeerPage));
    assertThat(text(By.cssSelector("article.conn"))).contains("rtt 18 ms", "wants 12 blocks",
        "/ipfs/bitswap/1.2.0");
    screenshot("peer");
  }

  @Test
  void aPinFromTheTableSurvivesTheNextRound() throws IOException {
    for (int i = 0; i < 12; i++) {
      open("round-" + i);
      if (i != 3) {
        manager.tagPeer(PeerId.of("round-" + i), "useful", 10);
      }
    }
    assertThat(manager.assess().lowest(1).get(0).peer().value())
        .as("round-3 scores lowest: the next round would close it first").isEqualTo("round-3");
    logIn("admin");
    driver.get(url("/connmgr/connections?peer=round-&sort=peer"));
    waiting().until(d -> {
      d.findElement(By.cssSelector("tr[data-peer='round-3'] button.pin")).click();
      return true;
    });
    waiting().until(ExpectedConditions.textToBe(By.id("flash"), "Pinned round-3."));
    waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("tr[data-peer='round-3'] button.unpin")));
    assertThat(text(By.cssSelector("tr[data-peer='round-3']"))).contains("connmgr:pinned");

    driver.get(url("/connmgr"));
    driver.findElement(By.id("trim-now")).click();
    waiting().until(ExpectedConditions.alertIsPresent()).accept();
    waiting().until(ExpectedConditions.textMatches(By.id("flash"),
        java.util.regex.Pattern.compile("Trim: MANUAL round closed \\d+ of \\d+ wanted.*")));

    assertThat(manager.info().lastReport().orElseThrow().trigger()).isEqualTo(Trigger.MANUAL);
    assertThat(swarm.closedPeers()).hasSize(7).doesNotContain("round-3");
    assertThat(manager.info().lastReport().orElseThrow().skipped(io.connmgr.SkipReason.PROTECTED))
        .isEqualTo(1);
    assertThat(manager.snapshot().peer(PeerId.of("round-3")).orElseThrow().connections())
        .hasSize(1);
    waiting().until(d -> !d.findElements(By.cssSelector("#rounds tbody tr")).isEmpty());
    driver.get(url("/connmgr/connections?peer=round-"));
    assertThat(text(By.cssSelector("tr[data-peer='round-3']"))).contains("connmgr:pinned");
  }

  @Test
  void anEvictionNeedsTheConfirmationAndThenAppearsInTheHistory() throws IOException {
    ManagedConnection c = open("evictee");
    logIn("admin");
    driver.get(url("/connmgr/connections?peer=evictee"));
    waiting().until(d -> {
      d.findElement(By.cssSelector("tr[data-peer='evictee'] a.evict")).click();
      return true;
    });
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-evict")));
    assertThat(driver.getCurrentUrl()).contains("/connmgr/evict?id=" + c.id());
    assertThat(c.isOpen()).as("nothing happens before the confirmation").isTrue();
    screenshot("evict-confirmation");

    driver.findElement(By.id("reason")).sendKeys("browser test");
    driver.findElement(By.id("confirm-evict")).click();
    waiting().until(ExpectedConditions.textToBe(By.id("flash"), "Evicted connection " + c.id()
        + ": evicted from the console by admin: browser test."));
    assertThat(c.isOpen()).isFalse();

    driver.get(url("/connmgr"));
    WebElement row = waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#evictions tr[data-connection='" + c.id() + "']")));
    assertThat(row.getText()).contains("evictee", "operator", "browser test");
    driver.get(url("/connmgr/peer?id=evictee"));
    assertThat(text(By.id("peer-evictions"))).contains("operator", "browser test");
    screenshot("peer-history");
  }

  @Test
  void aReadOnlyUserSeesNoButtons() throws IOException {
    open("watched");
    Registration scorer = manager.registerPeerScorer("latency", p -> p.id().hashCode() & 511);
    Registration clamped = manager.registerConnectionScorer("bytes-sent", c -> 5000);
    Registration veto = manager.registerVeto("kad-buckets",
        (candidate, round) -> io.connmgr.Verdict.allow());
    registrations.addAll(List.of(scorer, clamped, veto));
    manager.assess();
    logIn("viewer");
    for (String page : List.of("/connmgr", "/connmgr/connections", "/connmgr/peer?id=watched",
        "/connmgr/scorers")) {
      driver.get(url(page));
      waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("live")));
      assertThat(driver.findElements(By.cssSelector("form[method=post]"))).as(page).isEmpty();
      assertThat(driver.findElements(By.cssSelector("a.evict, button.pin, button.unpin, #trim-now")))
          .as(page).isEmpty();
      assertThat(driver.findElement(By.cssSelector("header .mode")).getText()).isEqualTo("view only");
    }
    screenshot("scorers");
    driver.get(url("/connmgr/connections"));
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-peer='watched']")));
    screenshot("connections-viewer");
  }

  @Test
  void htmlInAPeerIdIsShownAsText() throws IOException {
    String evil = "<img src=x onerror=\"document.title='pwned'\">";
    open(evil);
    logIn("admin");
    driver.get(url("/connmgr/connections"));
    WebElement cell = waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("tr td.peer a")));
    waiting().until(d -> d.findElements(By.cssSelector("td.peer a")).stream()
        .anyMatch(a -> a.getText().equals(evil)));
    assertThat(cell).isNotNull();
    assertThat(driver.findElements(By.cssSelector("td.peer img"))).isEmpty();
    assertThat(driver.getTitle()).isNotEqualTo("pwned");
    try {
      driver.switchTo().alert();
      fail("no alert expected");
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }
}
