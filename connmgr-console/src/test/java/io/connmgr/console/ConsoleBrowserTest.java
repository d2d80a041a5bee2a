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
@SpringBootTest(
    classes = ConsoleTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "connmgr.console.refresh-interval=500ms",
      "connmgr.console.sample-interval=200ms",
      "connmgr.console.cache-ttl=0s",
      "management.endpoints.web.exposure.include=connmgr"
    })
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
    manager.inspect().snapshot().peers().forEach(p -> manager.unpin(p.id()));
    swarm.closed.clear();
    forgetSession();
  }

  /**
   * Leaves the console for a page of the same origin that does not poll (so no refresh in flight
   * can bring a session cookie back) and names its icon (so the browser asks for no {@code
   * /favicon.ico}, whose redirect to the login page would race the next login for a session), then
   * deletes the cookies.
   */
  void forgetSession() {
    driver.get(url("/connmgr/login"));
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
    // a bound for a loaded machine, not a timing the test relies on
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
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
      throw new AssertionError(
          "no overview after logging in as "
              + user
              + " at "
              + driver.getCurrentUrl()
              + ":\n"
              + driver.getPageSource(),
          e);
    }
  }

  void screenshot(String name) throws IOException {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name + ".png"), png);
  }

  /** Answers the console's confirmation dialog with yes. */
  void confirm() {
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-yes"))).click();
  }

  String text(By by) {
    return waiting().until(d -> d.findElement(by).getText());
  }

  /** One row of the evictions page, read at once. */
  record EvictionRow(String connection, String trigger, String text) {}

  /**
   * The evictions page's rows, each read in one go and read again if the page replaced them
   * meanwhile (a stale element), so that no assertion holds on to an element the page dropped.
   */
  List<EvictionRow> evictionRows() {
    return waiting()
        .until(
            d ->
                d.findElements(By.cssSelector("#evictions tbody tr")).stream()
                    .map(
                        r ->
                            new EvictionRow(
                                r.getAttribute("data-connection"),
                                r.getAttribute("data-trigger"),
                                r.getText()))
                    .toList());
  }

  @Test
  void overviewNumbersChangeWhileConnectionsOpen() throws IOException {
    logIn("admin");
    int before = Integer.parseInt(text(By.id("stat-connections")));
    String refreshedBefore =
        driver.findElement(By.tagName("body")).getAttribute("data-refreshed-at");

    for (int i = 0; i < 3; i++) {
      open("live-" + i);
    }
    waiting()
        .until(
            ExpectedConditions.textToBe(By.id("stat-connections"), Integer.toString(before + 3)));
    waiting()
        .until(
            ExpectedConditions.textToBe(
                By.id("stat-inbound"), Integer.toString(manager.stats().inbound())));
    for (int i = 3; i < 8; i++) {
      open("live-" + i);
    }
    waiting()
        .until(
            ExpectedConditions.textToBe(By.id("stat-connections"), Integer.toString(before + 8)));

    assertThat(driver.getCurrentUrl()).startsWith(url("/connmgr"));
    assertThat(driver.findElement(By.tagName("body")).getAttribute("data-refreshed-at"))
        .isNotNull()
        .isNotEqualTo(refreshedBefore);
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
    waiting()
        .until(
            d ->
                !d.findElement(By.cssSelector("tr[data-peer='leased-peer'] .countdown"))
                    .getText()
                    .equals(first));
    screenshot("connections");
    driver.get(url("/connmgr/peer?id=leased-peer"));
    String onPeerPage = text(By.cssSelector("article.conn .countdown"));
    waiting()
        .until(
            d ->
                !d.findElement(By.cssSelector("article.conn .countdown"))
                    .getText()
                    .equals(onPeerPage));
    assertThat(text(By.cssSelector("article.conn")))
        .contains("rtt 18 ms", "wants 12 blocks", "/ipfs/bitswap/1.2.0");
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
    assertThat(manager.inspect().assess().lowest(1).get(0).peer().value())
        .as("round-3 scores lowest: the next round would close it first")
        .isEqualTo("round-3");
    logIn("admin");
    driver.get(url("/connmgr/connections?peer=round-&sort=peer"));
    waiting()
        .until(
            d -> {
              d.findElement(By.cssSelector("tr[data-peer='round-3'] button.pin")).click();
              return true;
            });
    confirm();
    waiting().until(ExpectedConditions.textToBe(By.id("flash"), "Pinned round-3."));
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-peer='round-3'] button.unpin")));
    assertThat(text(By.cssSelector("tr[data-peer='round-3']"))).contains("connmgr:pinned");

    driver.get(url("/connmgr"));
    driver.findElement(By.id("trim-now")).click();
    confirm();
    try {
      waiting()
          .until(
              ExpectedConditions.textMatches(
                  By.id("flash"),
                  java.util.regex.Pattern.compile(
                      "Trim: MANUAL round closed \\d+ of \\d+ wanted.*")));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "no trim message at "
              + driver.getCurrentUrl()
              + ":\n"
              + driver.findElement(By.tagName("body")).getText(),
          e);
    }

    assertThat(manager.stats().lastReport().orElseThrow().trigger()).isEqualTo(Trigger.MANUAL);
    assertThat(swarm.closedPeers()).hasSize(7).doesNotContain("round-3");
    assertThat(
            manager
                .stats()
                .lastReport()
                .orElseThrow()
                .skipped()
                .get(io.connmgr.SkipReason.PROTECTED))
        .isEqualTo(1);
    assertThat(manager.inspect().snapshot().peer(PeerId.of("round-3")).orElseThrow().connections())
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
    waiting()
        .until(
            d -> {
              d.findElement(By.cssSelector("tr[data-peer='evictee'] a.evict")).click();
              return true;
            });
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-evict")));
    assertThat(driver.getCurrentUrl()).contains("/connmgr/evict?id=" + c.id());
    assertThat(c.isOpen()).as("nothing happens before the confirmation").isTrue();
    screenshot("evict-confirmation");

    driver.findElement(By.id("reason")).sendKeys("browser test");
    driver.findElement(By.id("confirm-evict")).click();
    waiting()
        .until(
            ExpectedConditions.textToBe(
                By.id("flash"),
                "Evicted connection "
                    + c.id()
                    + ": evicted from the console by admin: browser test."));
    assertThat(c.isOpen()).isFalse();

    driver.get(url("/connmgr"));
    WebElement row =
        waiting()
            .until(
                ExpectedConditions.presenceOfElementLocated(
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
    Registration veto =
        manager.registerVeto("kad-buckets", (candidate, round) -> io.connmgr.Verdict.allow());
    registrations.addAll(List.of(scorer, clamped, veto));
    manager.inspect().assess();
    logIn("viewer");
    for (String page :
        List.of(
            "/connmgr", "/connmgr/connections", "/connmgr/peer?id=watched", "/connmgr/scorers")) {
      driver.get(url(page));
      waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("live")));
      assertThat(driver.findElements(By.cssSelector("form[method=post]"))).as(page).isEmpty();
      assertThat(
              driver.findElements(By.cssSelector("a.evict, button.pin, button.unpin, #trim-now")))
          .as(page)
          .isEmpty();
      assertThat(driver.findElement(By.cssSelector("header .mode")).getText())
          .isEqualTo("view only");
    }
    screenshot("scorers");
    driver.get(url("/connmgr/connections"));
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-peer='watched']")));
    screenshot("connections-viewer");
  }

  @Test
  void htmlInAPeerIdIsShownAsText() throws IOException {
    String evil = "<img src=x onerror=\"document.title='pwned'\">";
    open(evil);
    logIn("admin");
    driver.get(url("/connmgr/connections"));
    WebElement cell =
        waiting()
            .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr td.peer a")));
    waiting()
        .until(
            d ->
                d.findElements(By.cssSelector("td.peer a")).stream()
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

  // --- the operator's pages ---------------------------------------------------------------------

  @Test
  void thePinsPageShowsPinsOfAbsentPeersAndPinsAndUnpinsFromThere() throws IOException {
    open("connected-pinned");
    manager.pin(PeerId.of("connected-pinned"));
    manager.pin(PeerId.of("absent-peer"));
    manager.protect(PeerId.of("relay-away"), "relay");
    logIn("admin");
    driver.get(url("/connmgr/pins"));
    assertThat(text(By.cssSelector("tr[data-peer='absent-peer']")))
        .contains("pinned", "application code");
    assertThat(text(By.cssSelector("tr[data-peer='absent-peer'] td.connections"))).isEqualTo("0");
    assertThat(text(By.cssSelector("tr[data-peer='connected-pinned'] td.connections")))
        .isEqualTo("1");
    assertThat(text(By.cssSelector("tr[data-peer='relay-away']")))
        .contains("relay", "application code");

    driver.findElement(By.id("pin-peer")).sendKeys("never-seen-peer");
    driver.findElement(By.id("pin-submit")).click();
    waiting()
        .until(
            ExpectedConditions.textToBe(
                By.id("flash"),
                "Pinned never-seen-peer (not connected now; the pin applies when it connects)."));
    assertThat(driver.getCurrentUrl()).isEqualTo(url("/connmgr/pins"));
    assertThat(text(By.cssSelector("tr[data-peer='never-seen-peer']")))
        .contains("console operator admin");
    screenshot("pins");

    waiting()
        .until(
            d -> {
              d.findElement(By.cssSelector("tr[data-peer='absent-peer'] button.unpin")).click();
              return true;
            });
    confirm();
    waiting().until(ExpectedConditions.textToBe(By.id("flash"), "Unpinned absent-peer."));
    assertThat(driver.getCurrentUrl()).isEqualTo(url("/connmgr/pins"));
    assertThat(driver.findElements(By.cssSelector("tr[data-peer='absent-peer']"))).isEmpty();
    assertThat(manager.isProtected(PeerId.of("absent-peer"), null)).isFalse();
    manager.unprotect(PeerId.of("relay-away"), "relay");
    manager.unpin(PeerId.of("never-seen-peer"));
  }

  @Test
  void theEvictionsFiltersNarrowTheHistoryOnTheServer() throws IOException {
    ManagedConnection byHand = open("filter-hand");
    for (int i = 0; i < 16; i++) { // a trim to low water 5 closes both directions
      ManagedConnection c =
          swarm.open("filter-" + i, i % 2 == 0 ? Direction.INBOUND : Direction.OUTBOUND);
      opened.add(c);
    }
    manager.evict(byHand.id(), "operator test");
    manager.trim();
    logIn("admin");
    driver.get(url("/connmgr/evictions?peer=filter-"));
    waiting().until(d -> d.findElements(By.cssSelector("#evictions tbody tr")).size() > 1);
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("filter-trigger")))
        .selectByValue("operator");
    driver.findElement(By.id("filter-apply")).click();
    waiting().until(d -> d.getCurrentUrl().contains("trigger=operator"));
    List<EvictionRow> rows = evictionRows();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).connection()).isEqualTo(Long.toString(byHand.id()));
    assertThat(rows.get(0).text()).contains("filter-hand", "operator test");

    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("filter-trigger")))
        .selectByValue("manual");
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("filter-direction")))
        .selectByValue("outbound");
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("filter-within")))
        .selectByValue("5m");
    driver.findElement(By.id("filter-apply")).click();
    waiting().until(d -> d.getCurrentUrl().contains("direction=outbound"));
    List<EvictionRow> manual = evictionRows();
    assertThat(manual)
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.trigger()).isEqualTo("manual");
              assertThat(r.text()).contains("outbound");
            });
    assertThat(text(By.id("matching"))).isEqualTo(Integer.toString(manual.size()));
    assertThat(Long.parseLong(text(By.cssSelector("#totals td[data-trigger='operator']"))))
        .isPositive();
    screenshot("evictions");
  }

  @Test
  void pauseHoldsTheListStillAndResumeBringsItBack() throws IOException {
    open("steady-0");
    logIn("admin");
    driver.get(url("/connmgr/connections?peer=steady-"));
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-peer='steady-0']")));
    WebElement body = driver.findElement(By.tagName("body"));
    waiting().until(d -> "on".equals(body.getAttribute("data-live")));

    driver.findElement(By.id("live-toggle")).click();
    assertThat(text(By.id("live-state"))).isEqualTo("paused");
    assertThat(text(By.id("live-toggle"))).isEqualTo("Resume");
    open("steady-1");
    holdsStill("tr[data-peer='steady-1']");

    driver.findElement(By.id("live-toggle")).click();
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-peer='steady-1']")));
    assertThat(text(By.id("live-state"))).isEqualTo("live");

    // the pointer on an action holds the list still too
    // live refresh may replace the row between finding the button and moving to it: try again
    waiting()
        .until(
            d -> {
              new org.openqa.selenium.interactions.Actions(d)
                  .moveToElement(
                      d.findElement(By.cssSelector("tr[data-peer='steady-0'] button.pin")))
                  .perform();
              return true;
            });
    waiting().until(d -> "paused".equals(body.getAttribute("data-live")));
    assertThat(body.getAttribute("data-pause-reason")).contains("pointer is on an action");
    open("steady-2");
    holdsStill("tr[data-peer='steady-2']");

    // and so does an open confirmation
    driver.findElement(By.cssSelector("tr[data-peer='steady-0'] button.pin")).click();
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
    new org.openqa.selenium.interactions.Actions(driver)
        .moveToElement(driver.findElement(By.id("confirm-message")))
        .perform();
    assertThat(body.getAttribute("data-pause-reason")).isEqualTo("paused while you confirm");
    holdsStill("tr[data-peer='steady-2']");
    driver.findElement(By.id("confirm-no")).click();
    new org.openqa.selenium.interactions.Actions(driver)
        .moveToElement(driver.findElement(By.tagName("h1")))
        .perform();
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-peer='steady-2']")));
    assertThat(manager.isProtected(PeerId.of("steady-0"), null))
        .as("a cancelled confirmation changes nothing")
        .isFalse();
  }

  /** The row stays absent over several refresh periods while the list is paused. */
  void holdsStill(String absentRow) {
    String refreshed = driver.findElement(By.tagName("body")).getAttribute("data-refreshed-at");
    long until = System.nanoTime() + Duration.ofMillis(2000).toNanos(); // four refresh periods
    while (System.nanoTime() < until) {
      assertThat(driver.findElements(By.cssSelector(absentRow))).isEmpty();
      assertThat(driver.findElement(By.tagName("body")).getAttribute("data-refreshed-at"))
          .isEqualTo(refreshed);
    }
  }

  @Test
  void nextRoundShowsTheRankTheActuatorReports() throws Exception {
    for (int i = 0; i < 6; i++) {
      open("rank-" + i);
      manager.tagPeer(PeerId.of("rank-" + i), "v", (i * 7) % 6); // 0, 1, 2, 3, 4, 5 shuffled
    }
    open("rank-held");
    manager.pin(PeerId.of("rank-held"));
    logIn("admin");
    driver.get(url("/connmgr/connections?peer=rank-&sort=score&order=desc"));
    waiting().until(d -> d.findElements(By.cssSelector("tr[data-peer]")).size() == 7);
    driver.findElement(By.id("live-toggle")).click(); // hold the list still while reading it
    java.util.Map<String, String> shown = new java.util.HashMap<>();
    for (WebElement row : driver.findElements(By.cssSelector("tr[data-peer]"))) {
      shown.put(
          row.getAttribute("data-connection"),
          row.findElement(By.cssSelector("td.next-round")).getText());
    }
    driver.get(url("/actuator/connmgr"));
    tools.jackson.databind.JsonNode summary =
        new tools.jackson.databind.json.JsonMapper()
            .readTree(driver.findElement(By.tagName("body")).getText());
    int rank = 0;
    int checked = 0;
    for (tools.jackson.databind.JsonNode s : summary.get("lowest")) {
      String id = s.get("connectionId").asString();
      if (!shown.containsKey(id)) {
        continue; // another test's connection
      }
      checked++;
      if (s.get("heldBack").isNull()) {
        rank++;
        assertThat(shown.get(id)).as("connection " + id).isEqualTo(Integer.toString(rank));
      } else {
        assertThat(shown.get(id)).as("held back " + id).isEmpty();
      }
    }
    assertThat(checked).isEqualTo(7);
    manager.unpin(PeerId.of("rank-held"));
  }

  @Test
  void aLostSessionShowsABannerWhoseSignInReturnsToTheSamePage() throws IOException {
    open("session-peer");
    logIn("viewer");
    String page = url("/connmgr/connections?peer=session-&size=25");
    driver.get(page);
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-peer='session-peer']")));
    assertThat(driver.findElement(By.id("session-lost")).isDisplayed()).isFalse();

    driver.manage().deleteCookieNamed("JSESSIONID"); // as when the session expires
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("session-lost")));
    assertThat(text(By.id("session-lost"))).contains("Your session has ended");
    assertThat(driver.findElement(By.tagName("body")).getAttribute("data-live"))
        .isEqualTo("paused");
    screenshot("session-lost");

    driver.findElement(By.id("sign-in")).click();
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
    assertThat(driver.getCurrentUrl()).endsWith("/connmgr/login");
    driver.findElement(By.name("username")).sendKeys("viewer");
    driver.findElement(By.name("password")).sendKeys(ConsoleTestApp.PASSWORD);
    driver.findElement(By.cssSelector("button[type=submit]")).click();
    waiting().until(d -> d.getCurrentUrl().startsWith(page));
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-peer='session-peer']")));
    assertThat(driver.findElement(By.id("session-lost")).isDisplayed()).isFalse();
  }
}
