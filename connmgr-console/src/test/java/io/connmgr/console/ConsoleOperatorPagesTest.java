package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.audit.ActionSource;
import io.connmgr.audit.AuditResult;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.Operator;
import io.connmgr.audit.OperatorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The operator's pages and their rules, through MockMvc with Spring Security: pins (every
 * protection with its source), evictions (server-side filters, paging, totals), the next-round
 * column, actions on connections that have gone, the login page, the console's 404 and the split
 * scorer statistics.
 */
@SpringBootTest(classes = ConsoleTestApp.class, properties = "connmgr.console.cache-ttl=0s")
@AutoConfigureMockMvc
class ConsoleOperatorPagesTest {

  static final RequestPostProcessor ADMIN = user("admin").roles("CONNMGR_ADMIN");
  static final RequestPostProcessor VIEWER = user("viewer").roles("CONNMGR_VIEWER");

  @Autowired MockMvc mvc;
  @Autowired ConnectionManager manager;
  @Autowired Swarm swarm;

  final List<ManagedConnection> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    opened.forEach(ManagedConnection::closed);
    manager.protections().forEach((peer, tags) -> tags.forEach(t -> manager.unprotect(peer, t)));
  }

  ManagedConnection open(String peer, Direction d) {
    ManagedConnection c = swarm.open(peer, d);
    opened.add(c);
    return c;
  }

  String page(String path, RequestPostProcessor who) throws Exception {
    return mvc.perform(get(path).with(who))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  // --- pins -----------------------------------------------------------------------------------

  @Test
  void thePinsPageListsEveryProtectionConnectedOrNotWithItsSource() throws Exception {
    open("pinned-here", Direction.INBOUND);
    manager.pin(PeerId.of("pinned-here")); // since start, not through the console
    manager.protect(PeerId.of("relay-away"), "relay"); // the application's own tag, no connection
    Session s = Session.open(mvc, ADMIN);
    mvc.perform(
            s.action("/pin", ADMIN).param("peer", "from-console").param("return", "/connmgr/pins"))
        .andExpect(redirectedUrl("/connmgr/pins"))
        .andExpect(
            flash()
                .attribute(
                    "flash",
                    "Pinned from-console (not connected now; the pin applies when it connects)."));

    String html = page("/connmgr/pins", VIEWER);
    assertThat(rows(html, "data-peer"))
        .containsExactly("from-console", "pinned-here", "relay-away");
    assertThat(html)
        .contains(
            "data-tag=\"connmgr:pinned\" data-source=\"CONSOLE\"",
            "console operator admin",
            "data-tag=\"connmgr:pinned\" data-source=\"SINCE_START\"",
            "application code",
            "data-tag=\"relay\" data-source=\"APPLICATION\"");
    assertThat(page("/connmgr/pins?connected=no", VIEWER))
        .contains("id=\"matching\">2<")
        .doesNotContain("data-peer=\"pinned-here\"");
    assertThat(page("/connmgr/pins?peer=relay", VIEWER)).contains("id=\"matching\">1<");
  }

  @Test
  void unpinningAPeerThatIsNotConnectedLandsBackOnThePinsPage() throws Exception {
    manager.pin(PeerId.of("gone-away"));
    Session s = Session.open(mvc, ADMIN);
    mvc.perform(
            s.action("/unpin", ADMIN).param("peer", "gone-away").param("return", "/connmgr/pins"))
        .andExpect(redirectedUrl("/connmgr/pins"))
        .andExpect(flash().attribute("flash", "Unpinned gone-away."));
    manager.pin(PeerId.of("gone-away"));
    // from its peer page, which has nothing left to show once unpinned: back to the pins page
    mvc.perform(
            s.action("/unpin", ADMIN)
                .param("peer", "gone-away")
                .param("return", "/connmgr/peer?id=gone-away"))
        .andExpect(redirectedUrl("/connmgr/pins"));
    assertThat(manager.isProtected(PeerId.of("gone-away"), null)).isFalse();
  }

  @Test
  void protectionSourcesTellStaticConfigurationPinsFileOperatorsAndApplicationApart() {
    try (ConnectionManager m =
        ConnectionManager.builder()
            .lowWater(1)
            .highWater(2)
            .maintenanceInterval(java.time.Duration.ZERO)
            .build()) {
      AuditTrail trail = new AuditTrail(10, java.time.Clock.systemUTC());
      m.pin(PeerId.of("static-1"));
      m.pin(PeerId.of("from-file"));
      ProtectionSources withFile =
          new ProtectionSources(m, java.util.Set.of(PeerId.of("static-1")), true, trail);
      withFile.afterPropertiesSet();
      m.pin(PeerId.of("later")); // code calling the manager: not on record
      pinOnRecord(m, trail, "alice", ActionSource.CONSOLE, "by-console");
      pinOnRecord(m, trail, "ops", ActionSource.ACTUATOR, "by-actuator");
      m.protect(PeerId.of("app"), "relay");

      assertThat(withFile.origin(PeerId.of("static-1"), ConnectionManager.PIN_TAG).source())
          .isEqualTo(ProtectionSources.Source.STATIC_CONFIGURATION);
      assertThat(withFile.origin(PeerId.of("from-file"), ConnectionManager.PIN_TAG).source())
          .isEqualTo(ProtectionSources.Source.PINS_FILE);
      assertThat(withFile.origin(PeerId.of("later"), ConnectionManager.PIN_TAG).source())
          .isEqualTo(ProtectionSources.Source.SINCE_START);
      assertThat(withFile.origin(PeerId.of("by-console"), ConnectionManager.PIN_TAG).label())
          .isEqualTo("console operator alice");
      assertThat(withFile.origin(PeerId.of("by-actuator"), ConnectionManager.PIN_TAG).label())
          .isEqualTo("actuator operator ops");
      assertThat(withFile.origin(PeerId.of("app"), "relay").source())
          .isEqualTo(ProtectionSources.Source.APPLICATION);

      ProtectionSources noFile = new ProtectionSources(m, java.util.Set.of(), false, null);
      noFile.afterPropertiesSet();
      assertThat(noFile.origin(PeerId.of("from-file"), ConnectionManager.PIN_TAG).source())
          .isEqualTo(ProtectionSources.Source.START_UP);
      // unpinned and pinned again by an operator: the operator's now, not the file's
      m.unpin(PeerId.of("from-file"));
      pinOnRecord(m, trail, "bob", ActionSource.CONSOLE, "from-file");
      assertThat(withFile.origin(PeerId.of("from-file"), ConnectionManager.PIN_TAG).label())
          .isEqualTo("console operator bob");
      withFile.destroy();
      noFile.destroy();
    }
  }

  /** A pin as OperatorActions makes it: the manager's pin, then the entry on record. */
  static void pinOnRecord(
      ConnectionManager m, AuditTrail trail, String who, ActionSource from, String peer) {
    m.pin(PeerId.of(peer));
    trail.record(new Operator(who, from), OperatorAction.PIN, peer, AuditResult.DONE, "pinned");
  }

  // --- the list that holds still --------------------------------------------------------------

  @Test
  void nextRoundIsEachCandidatesPlaceInTheAssessmentAndBlankWhenHeldBack() throws Exception {
    open("low", Direction.INBOUND);
    open("mid", Direction.INBOUND);
    open("high", Direction.INBOUND);
    open("kept", Direction.INBOUND);
    manager.tagPeer(PeerId.of("mid"), "v", 5);
    manager.tagPeer(PeerId.of("high"), "v", 9);
    manager.pin(PeerId.of("kept"));
    // sorted by score, highest first: the best connection reads 3, not "1"
    String html = page("/connmgr/connections?sort=score&order=desc", VIEWER);
    assertThat(rows(html, "data-peer")).containsExactly("high", "mid", "low", "kept");
    assertThat(nextRound(html)).containsExactly("3", "2", "1", "");
  }

  @Test
  void evictingAConnectionThatHasGoneSaysHowItWent() throws Exception {
    ManagedConnection c = open("leaving", Direction.OUTBOUND);
    Session s = Session.open(mvc, ADMIN);
    manager.evict(c.id(), "evicted elsewhere first");
    mvc.perform(
            s.action("/evict", ADMIN)
                .param("id", Long.toString(c.id()))
                .param("confirm", "true")
                .param("return", "/connmgr/connections"))
        .andExpect(redirectedUrl("/connmgr/connections"))
        .andExpect(flash().attribute("flashKind", "warning"))
        .andExpect(
            flash()
                .attribute(
                    "flash",
                    org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.containsString(
                            "Connection " + c.id() + " (peer leaving) has gone"),
                        org.hamcrest.Matchers.containsString("operator eviction"),
                        org.hamcrest.Matchers.containsString("Nothing was evicted"))));
    // a pin from that row still pins the peer, and says the row's connection had gone
    mvc.perform(
            s.action("/pin", ADMIN)
                .param("peer", "leaving")
                .param("connection", Long.toString(c.id())))
        .andExpect(flash().attribute("flashKind", "warning"))
        .andExpect(flash().attribute("flash", org.hamcrest.Matchers.containsString("has gone")));
    assertThat(manager.isProtected(PeerId.of("leaving"), ConnectionManager.PIN_TAG)).isTrue();
  }

  // --- evictions ------------------------------------------------------------------------------

  @Test
  void theEvictionsPageFiltersAndPagesTheWholeHistoryOnTheServer() throws Exception {
    List<ManagedConnection> conns = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      conns.add(open("hist-" + i, i % 2 == 0 ? Direction.INBOUND : Direction.OUTBOUND));
    }
    manager.evict(conns.get(0).id(), "by hand");
    manager.trim(); // 29 open, low water 5: a manual round closes 24
    // the archive hears of evictions through a listener, which may run a moment later
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(page("/connmgr/evictions?peer=hist-&size=25", VIEWER))
                    .contains("id=\"matching\">25<", "page 1 of 1"));
    assertThat(page("/connmgr/evictions?peer=hist-&trigger=operator", VIEWER))
        .contains("id=\"matching\">1<", "hist-0");
    assertThat(page("/connmgr/evictions?peer=hist-&trigger=manual", VIEWER))
        .contains("id=\"matching\">24<");
    assertThat(page("/connmgr/evictions?peer=hist-&trigger=watermark", VIEWER))
        .contains("id=\"matching\">0<", "No kept eviction matches.");
    assertThat(
            page(
                "/connmgr/evictions?peer=hist-&trigger=operator-actions&direction=inbound", VIEWER))
        .contains("id=\"matching\">15<");
    assertThat(page("/connmgr/evictions?peer=hist-&within=5m", VIEWER))
        .contains("id=\"matching\">25<");
    assertThat(page("/connmgr/evictions?peer=hist-&to=2000-01-01T00:00", VIEWER))
        .contains("id=\"matching\">0<");
    String second = page("/connmgr/evictions?peer=hist-&page=2&size=25", VIEWER);
    assertThat(second).contains("page 1 of 1"); // beyond the last page: the last
    assertThat(page("/connmgr/evictions", VIEWER))
        .contains("data-trigger=\"operator\"", "id=\"operator-rounds\"");
    for (String bad :
        List.of(
            "trigger=sometimes",
            "within=3m",
            "from=yesterday",
            "from=2026-01-02T00:00&to=2026-01-01T00:00",
            "direction=sideways",
            "page=0")) {
      mvc.perform(get("/connmgr/evictions?" + bad).with(VIEWER)).andExpect(status().isBadRequest());
    }
  }

  @Test
  void theOverviewLinksToTheEvictionsPage() throws Exception {
    assertThat(page("/connmgr", VIEWER))
        .contains(
            "id=\"all-evictions\" href=\"/connmgr/evictions\"",
            "id=\"nav-evictions\"",
            "id=\"nav-pins\"");
  }

  // --- polish ---------------------------------------------------------------------------------

  @Test
  void anUnknownConsolePathIsTheConsolesOwn404() throws Exception {
    String html =
        mvc.perform(get("/connmgr/no/such/page").with(VIEWER))
            .andExpect(status().isNotFound())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(html)
        .contains("the console has no page at /connmgr/no/such/page", "id=\"nav-overview\"")
        .doesNotContain("Whitelabel");
    mvc.perform(get("/connmgr/nothing").with(VIEWER)).andExpect(status().isNotFound());
    mvc.perform(get("/connmgr/assets/console.css")).andExpect(status().isOk());
    mvc.perform(get("/connmgr/assets/favicon.svg")).andExpect(status().isOk());
    mvc.perform(get("/connmgr/assets/nothing.css")).andExpect(status().isNotFound());
    assertThat(page("/connmgr", VIEWER))
        .contains("rel=\"icon\"", "href=\"/connmgr/assets/favicon.svg\"");
  }

  @Test
  void theConsoleProvidesAStyledLoginWhenTheApplicationHasNoSecurityChain() throws Exception {
    mvc.perform(get("/connmgr/connections").accept(MediaType.TEXT_HTML))
        .andExpect(redirectedUrl("/connmgr/login"));
    String login =
        mvc.perform(get("/connmgr/login"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(login)
        .contains(
            "Sign in to the console",
            "/connmgr/assets/console.css",
            "action=\"/connmgr/login\"",
            "name=\"_csrf\"");
    mvc.perform(
            post("/connmgr/login")
                .with(csrf())
                .param("username", "viewer")
                .param("password", "wrong"))
        .andExpect(redirectedUrl("/connmgr/login?error"));
    assertThat(
            mvc.perform(get("/connmgr/login").param("error", ""))
                .andReturn()
                .getResponse()
                .getContentAsString())
        .contains("The user name or password is wrong.");
    mvc.perform(
            post("/connmgr/login")
                .with(csrf())
                .param("username", "viewer")
                .param("password", ConsoleTestApp.PASSWORD))
        .andExpect(status().isFound());
  }

  @Test
  void scorerStatisticsSplitRoundsFromViews() throws Exception {
    open("scored-a", Direction.INBOUND);
    open("scored-b", Direction.INBOUND);
    try (var r = manager.registerPeerScorer("flat", p -> 1)) {
      page("/connmgr/connections", VIEWER); // one view: one assessment, two calls
      String html = page("/connmgr/scorers", VIEWER);
      assertThat(html).contains("by rounds", "by views (assessments)", "per call");
      assertThat(cell(html, "calls")).isEqualTo("0");
      assertThat(Integer.parseInt(cell(html, "assess-calls"))).isGreaterThanOrEqualTo(2);
    }
  }

  static String cell(String html, String cls) {
    Matcher m = Pattern.compile("class=\"num " + cls + "\">([^<]*)<").matcher(html);
    assertThat(m.find()).as(cls).isTrue();
    return m.group(1);
  }

  static List<String> rows(String html, String attribute) {
    Matcher m = Pattern.compile(attribute + "=\"([^\"]+)\"").matcher(html);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static List<String> nextRound(String html) {
    Matcher m = Pattern.compile("class=\"num next-round\">([^<]*)<").matcher(html);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
