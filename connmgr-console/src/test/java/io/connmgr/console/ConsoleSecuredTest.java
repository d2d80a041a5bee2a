package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import io.connmgr.audit.ActionSource;
import io.connmgr.audit.AuditEntry;
import io.connmgr.audit.AuditResult;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.OperatorAction;
import io.connmgr.audit.OperatorActions;
import java.time.Duration;
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
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The console with Spring Security on the classpath, as most applications run it: every page, every
 * action, the validation of their input, and the role rules.
 */
@SpringBootTest(classes = ConsoleTestApp.class, properties = "connmgr.console.cache-ttl=0s")
@AutoConfigureMockMvc
class ConsoleSecuredTest {

  static final AttachmentKey<StringBuilder> NOTES = AttachmentKey.of("notes", StringBuilder::new);

  @Autowired MockMvc mvc;
  @Autowired ConnectionManager manager;
  @Autowired Swarm swarm;
  @Autowired AuditTrail trail;

  final List<ManagedConnection> opened = new ArrayList<>();

  static final RequestPostProcessor ADMIN = user("admin").roles("CONNMGR_ADMIN");
  static final RequestPostProcessor VIEWER = user("viewer").roles("CONNMGR_VIEWER");
  static final RequestPostProcessor STRANGER = user("stranger").roles("USER");

  @AfterEach
  void closeEverything() {
    opened.forEach(ManagedConnection::closed);
    manager.inspect().snapshot().peers().forEach(p -> manager.unpin(p.id()));
  }

  ManagedConnection open(String peer, Direction d) {
    ManagedConnection c = swarm.open(peer, d);
    opened.add(c);
    return c;
  }

  Session session(RequestPostProcessor who) throws Exception {
    return Session.open(mvc, who);
  }

  MockHttpServletRequestBuilder action(String path, Session s) {
    return s.action(path, ADMIN);
  }

  // --- identity -------------------------------------------------------------------------------

  @Test
  void everyConsoleResponseForbidsFramingRefusalsAndTheLoginPageIncluded() throws Exception {
    Session admins = session(ADMIN);
    for (var request :
        List.of(
            get("/connmgr").with(VIEWER),
            get("/connmgr"),
            get("/connmgr/login"),
            admins.action("/trim", VIEWER))) { // a viewer's refused POST
      mvc.perform(request)
          .andExpect(header().string("X-Frame-Options", "DENY"))
          .andExpect(header().string("Content-Security-Policy", "frame-ancestors 'none'"));
    }
  }

  @Test
  void refusedConsoleActionsAreOnRecordLikeTheActuators() throws Exception {
    Session admins = session(ADMIN);
    int before = trail.entries().size();
    mvc.perform(admins.action("/trim", VIEWER)).andExpect(status().isForbidden());
    mvc.perform(admins.action("/pin", VIEWER).param("peer", "refusal-peer"))
        .andExpect(status().isForbidden());
    mvc.perform(action("/pin", admins).param("peer", "refusal-peer")).andExpect(status().isFound());
    mvc.perform(action("/pin", admins).param("peer", "refusal-peer"))
        .andExpect(status().isFound())
        .andExpect(
            flash().attribute("flash", "Peer refusal-peer was already pinned; nothing changed."));
    mvc.perform(action("/unpin", admins).param("peer", "refusal-unpinned"))
        .andExpect(status().isBadRequest());
    assertThat(manager.isProtected(PeerId.of("refusal-peer"), null)).isTrue();

    List<AuditEntry> recorded = trail.entries().subList(0, trail.entries().size() - before);
    assertThat(recorded)
        .extracting(
            AuditEntry::principal, AuditEntry::action, AuditEntry::target, AuditEntry::result)
        .containsExactly(
            tuple("admin", OperatorAction.UNPIN, "refusal-unpinned", AuditResult.REFUSED),
            tuple("admin", OperatorAction.PIN, "refusal-peer", AuditResult.REFUSED),
            tuple("admin", OperatorAction.PIN, "refusal-peer", AuditResult.DONE),
            tuple("viewer", OperatorAction.PIN, "refusal-peer", AuditResult.REFUSED),
            tuple("viewer", OperatorAction.TRIM, OperatorActions.MANAGER, AuditResult.REFUSED));
    assertThat(recorded)
        .filteredOn(e -> e.result() == AuditResult.REFUSED)
        .allSatisfy(e -> assertThat(e.source()).isEqualTo(ActionSource.CONSOLE))
        .extracting(AuditEntry::outcome)
        .allSatisfy(o -> assertThat(o).startsWith("refused: "));
  }

  @Test
  void anUnverifiedPeerIsMarkedHasNoPinButtonAndCannotBePinned() throws Exception {
    String claimed = PeerId.unverified("stable-1").value();
    open(claimed, Direction.INBOUND);
    String page =
        mvc.perform(get("/connmgr/peer").param("id", claimed).with(ADMIN))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page).contains("id=\"unverified\"").doesNotContain("action=\"/connmgr/pin\"");
    String list =
        mvc.perform(get("/connmgr/connections").with(ADMIN))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(list).contains("class=\"badge unverified\"");

    Session s = session(ADMIN);
    String refused =
        mvc.perform(action("/pin", s).param("peer", claimed))
            .andExpect(status().isBadRequest())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(refused).contains("cannot be pinned");
    assertThat(manager.isProtected(PeerId.unverified("stable-1"), null)).isFalse();
  }

  // --- pages ----------------------------------------------------------------------------------

  @Test
  void overviewShowsCountsWatermarksChartRoundsAndEvictions() throws Exception {
    open("overview-a", Direction.INBOUND);
    open("overview-b", Direction.OUTBOUND);
    String html =
        mvc.perform(get("/connmgr").with(VIEWER))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(html)
        .contains(
            "id=\"stat-connections\">2<",
            "id=\"stat-low\">5<",
            "id=\"stat-high\">10<",
            "id=\"stat-inbound\">1<",
            "id=\"stat-outbound\">1<",
            "id=\"chart\"",
            "class=\"high\"",
            "class=\"low\"",
            "data-refresh-ms=\"2000\"");
  }

  @Test
  void everyPageServesItsLiveFragmentAlone() throws Exception {
    open("fragment-a", Direction.INBOUND);
    for (String page :
        List.of(
            "/connmgr",
            "/connmgr/connections",
            "/connmgr/scorers",
            "/connmgr/peer?id=fragment-a")) {
      String html =
          mvc.perform(get(page + (page.contains("?") ? "&" : "?") + "live=1").with(VIEWER))
              .andExpect(status().isOk())
              .andReturn()
              .getResponse()
              .getContentAsString();
      assertThat(html).as(page).startsWith("<div id=\"live\"").doesNotContain("<html");
    }
  }

  @Test
  void peerDetailShowsConnectionsStreamsLeasesStateAndHistory() throws Exception {
    ManagedConnection c = open("detail-peer", Direction.OUTBOUND);
    c.openStream("/ipfs/kad/1.0.0", Direction.INBOUND).update(NOTES, n -> n.append("stream-note"));
    c.update(NOTES, n -> n.append("connection-note"));
    manager.updatePeer(PeerId.of("detail-peer"), NOTES, n -> n.append("peer-note"));
    c.lease(Duration.ofSeconds(30), lease -> io.connmgr.LeaseDecision.release());
    manager.tagPeer(PeerId.of("detail-peer"), "kad", 7);

    String html =
        mvc.perform(get("/connmgr/peer").param("id", "detail-peer").with(VIEWER))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(html)
        .contains(
            "detail-peer",
            "/ipfs/kad/1.0.0",
            "stream-note",
            "connection-note",
            "peer-note",
            ">notes<",
            "class=\"countdown\"",
            "kad 7",
            "data-left-ms=\"");
  }

  @Test
  void scorersPageShowsWeightsLatencyAndFailures() throws Exception {
    open("scored", Direction.INBOUND);
    try (var a =
            manager.registerPeerScorer(
                "flaky",
                p -> {
                  throw new IllegalStateException("boom");
                });
        var b = manager.registerConnectionScorer("steady", c -> 42);
        var v =
            manager.registerVeto("keep-all", (candidate, round) -> io.connmgr.Verdict.allow())) {
      manager.inspect().assess();
      String html =
          mvc.perform(get("/connmgr/scorers").with(VIEWER))
              .andExpect(status().isOk())
              .andReturn()
              .getResponse()
              .getContentAsString();
      assertThat(html)
          .contains(
              "data-scorer=\"flaky\"",
              "data-scorer=\"steady\"",
              "data-veto=\"keep-all\"",
              "class=\"num bad\">1<");
    }
  }

  @Test
  void connectionsPageFiltersSortsAndPagesOnTheServer() throws Exception {
    for (int i = 0; i < 30; i++) {
      ManagedConnection c = open("page-" + i, i % 2 == 0 ? Direction.INBOUND : Direction.OUTBOUND);
      if (i % 3 == 0) {
        c.openStream("/chat/1", Direction.INBOUND);
      }
      manager.tagPeer(PeerId.of("page-" + i), "rank", i);
    }
    String html =
        mvc.perform(
                get("/connmgr/connections")
                    .with(VIEWER)
                    .param("direction", "inbound")
                    .param("protocol", "chat")
                    .param("minScore", "6")
                    .param("maxScore", "24")
                    .param("sort", "score")
                    .param("order", "desc")
                    .param("size", "25"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    // inbound = even, chat = multiple of 3 → 0, 6, 12, 18, 24; score 6..24 → 6, 12, 18, 24
    assertThat(html).contains("id=\"matching\">4<", "page 1 of 1");
    assertThat(rowsOf(html)).containsExactly("page-24", "page-18", "page-12", "page-6");
  }

  @Test
  void onlyTheOfferedPageSizesAreAccepted() throws Exception {
    for (String page : List.of("/connmgr/connections", "/connmgr/evictions", "/connmgr/pins")) {
      mvc.perform(get(page).param("size", "7").with(VIEWER))
          .andExpect(status().isBadRequest())
          .andExpect(
              content()
                  .string(
                      org.hamcrest.Matchers.containsString(
                          "size must be one of [25, 50, 100, 200, 500], was &#39;7&#39;")));
      String html =
          mvc.perform(get(page).param("size", "200").with(VIEWER))
              .andExpect(status().isOk())
              .andReturn()
              .getResponse()
              .getContentAsString();
      assertThat(html)
          .as(page)
          .contains("<option value=\"200\" selected=\"selected\">200</option>");
    }
  }

  static List<String> rowsOf(String html) {
    Matcher m = Pattern.compile("data-peer=\"([^\"]+)\"").matcher(html);
    List<String> peers = new ArrayList<>();
    while (m.find()) {
      peers.add(m.group(1));
    }
    return peers;
  }

  @Test
  void aPeerIdWithHtmlRendersAsText() throws Exception {
    String evil = "<script>alert('x')</script><b>bold</b>";
    open(evil, Direction.INBOUND);
    for (String page : List.of("/connmgr/connections", "/connmgr/peer?id={id}")) {
      String html =
          mvc.perform(get(page, evil).with(ADMIN))
              .andExpect(status().isOk())
              .andReturn()
              .getResponse()
              .getContentAsString();
      assertThat(html)
          .as(page)
          .doesNotContain("<script>alert", "<b>bold</b>")
          .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    }
  }

  // --- validation -----------------------------------------------------------------------------

  @Test
  void badFilterParametersAreA400WithAMessage() throws Exception {
    String[][] bad = {
      {"direction", "sideways"}, {"minScore", "abc"}, {"maxScore", "NaN"}, {"page", "0"},
      {"size", "100000"}, {"sort", "color"}, {"order", "up"}, {"protected", "maybe"},
      {"peer", "x".repeat(300)}
    };
    for (String[] p : bad) {
      mvc.perform(get("/connmgr/connections").param(p[0], p[1]).with(VIEWER))
          .andExpect(status().isBadRequest())
          .andExpect(content().string(org.hamcrest.Matchers.containsString(p[0])));
    }
    mvc.perform(
            get("/connmgr/connections").param("minScore", "5").param("maxScore", "1").with(VIEWER))
        .andExpect(status().isBadRequest());
  }

  @Test
  void anInvalidPeerIdIsA400AndAnUnknownOneA404() throws Exception {
    mvc.perform(get("/connmgr/peer").param("id", " ").with(VIEWER))
        .andExpect(status().isBadRequest());
    mvc.perform(get("/connmgr/peer").param("id", "a\u0001b").with(VIEWER))
        .andExpect(status().isBadRequest())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("not a valid peer id")));
    mvc.perform(get("/connmgr/peer").with(VIEWER)).andExpect(status().isBadRequest());
    mvc.perform(get("/connmgr/peer").param("id", "nobody-here").with(VIEWER))
        .andExpect(status().isNotFound());
  }

  @Test
  void invalidActionInputIsA400AndChangesNothing() throws Exception {
    ManagedConnection c = open("target", Direction.INBOUND);
    Session s = session(ADMIN);
    int protectedBefore = manager.stats().protectedPeers();

    mvc.perform(action("/pin", s).param("peer", "")).andExpect(status().isBadRequest());
    mvc.perform(action("/pin", s).param("peer", "x".repeat(257)))
        .andExpect(status().isBadRequest());
    mvc.perform(action("/pin", s).param("peer", "tab\there")).andExpect(status().isBadRequest());
    mvc.perform(action("/unpin", s).param("peer", "target"))
        .andExpect(status().isBadRequest())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("is not pinned")));
    for (String id : List.of("", "abc", "-1", "0", "1.5", "99999999999999999999")) {
      mvc.perform(action("/evict", s).param("id", id).param("confirm", "true"))
          .andExpect(status().isBadRequest());
    }
    mvc.perform(action("/evict", s).param("id", Long.toString(c.id())))
        .andExpect(status().isBadRequest())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("confirm")));
    mvc.perform(action("/evict", s).param("id", Long.toString(c.id())).param("confirm", "yes"))
        .andExpect(status().isBadRequest());
    for (String hidden : List.of("a\u2028b", "a\u2029b", "a\u202eb", "a\u200bb")) {
      mvc.perform(
              action("/evict", s)
                  .param("id", Long.toString(c.id()))
                  .param("confirm", "true")
                  .param("reason", hidden))
          .andExpect(status().isBadRequest());
    }
    mvc.perform(
            action("/evict", s)
                .param("id", Long.toString(c.id()))
                .param("confirm", "true")
                .param("reason", "bad\u0007reason"))
        .andExpect(status().isBadRequest());
    mvc.perform(action("/evict", s).param("id", "987654").param("confirm", "true"))
        .andExpect(status().is3xxRedirection())
        .andExpect(
            flash()
                .attribute(
                    "flash", org.hamcrest.Matchers.containsString("Connection 987654 is not open")))
        .andExpect(flash().attribute("flashKind", "warning"));
    mvc.perform(get("/connmgr/evict").param("id", "nope").with(ADMIN))
        .andExpect(status().isBadRequest());
    mvc.perform(get("/connmgr/evict").param("id", "987654").with(ADMIN))
        .andExpect(status().is3xxRedirection())
        .andExpect(
            flash()
                .attribute("flash", org.hamcrest.Matchers.containsString("Nothing was evicted")));

    assertThat(c.isOpen()).isTrue();
    assertThat(manager.stats().protectedPeers()).isEqualTo(protectedBefore);
    assertThat(manager.inspect().evictionHistory()).noneMatch(r -> r.connectionId() == c.id());
  }

  // --- actions --------------------------------------------------------------------------------

  @Test
  void pinAndUnpinProtectThePeerUnderThePinTag() throws Exception {
    open("pin-me", Direction.INBOUND);
    Session s = session(ADMIN);
    mvc.perform(action("/pin", s).param("peer", "pin-me").param("return", "/connmgr/connections"))
        .andExpect(status().isFound())
        .andExpect(redirectedUrl("/connmgr/connections"))
        .andExpect(flash().attribute("flash", "Pinned pin-me."));
    assertThat(manager.isProtected(PeerId.of("pin-me"), ConnectionManager.PIN_TAG)).isTrue();

    mvc.perform(action("/unpin", s).param("peer", "pin-me"))
        .andExpect(status().isFound())
        .andExpect(redirectedUrl("/connmgr"))
        .andExpect(flash().attribute("flash", "Unpinned pin-me."));
    assertThat(manager.isProtected(PeerId.of("pin-me"), null)).isFalse();
  }

  @Test
  void pinningAnAbsentPeerAndUnpinningAPeerOtherTagsProtectSaySo() throws Exception {
    open("relay", Direction.INBOUND);
    manager.protect(PeerId.of("relay"), "relay-service");
    Session s = session(ADMIN);
    try {
      mvc.perform(action("/pin", s).param("peer", "relay")).andExpect(status().isFound());
      mvc.perform(action("/unpin", s).param("peer", "relay"))
          .andExpect(flash().attribute("flash", "Unpinned relay; other tags still protect it."));
      assertThat(manager.isProtected(PeerId.of("relay"), "relay-service")).isTrue();

      mvc.perform(action("/pin", s).param("peer", "not-yet-connected"))
          .andExpect(
              flash()
                  .attribute(
                      "flash",
                      "Pinned not-yet-connected (not connected now; the pin applies when it connects)."));
      assertThat(manager.isProtected(PeerId.of("not-yet-connected"), ConnectionManager.PIN_TAG))
          .isTrue();
      mvc.perform(get("/connmgr/peer").param("id", "not-yet-connected").with(VIEWER))
          .andExpect(status().isOk())
          .andExpect(content().string(org.hamcrest.Matchers.containsString("not-tracked")));
    } finally {
      manager.unprotect(PeerId.of("relay"), "relay-service");
      manager.unpin(PeerId.of("not-yet-connected"));
    }
  }

  @Test
  void aReturnPathOutsideTheConsoleGoesToTheOverview() throws Exception {
    open("redirected", Direction.INBOUND);
    Session s = session(ADMIN);
    for (String evil :
        List.of("https://evil.example/", "//evil.example", "/connmgr/../admin", "/elsewhere")) {
      mvc.perform(action("/pin", s).param("peer", "redirected").param("return", evil))
          .andExpect(redirectedUrl("/connmgr"));
    }
  }

  @Test
  void evictionNeedsTheConfirmationPageAndLandsInHistoryAsOperator() throws Exception {
    ManagedConnection c = open("evict-me", Direction.INBOUND);
    Session s = session(ADMIN);
    String confirm =
        mvc.perform(
                get("/connmgr/evict")
                    .param("id", Long.toString(c.id()))
                    .session(s.session())
                    .with(ADMIN))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(confirm)
        .contains(
            "name=\"confirm\" value=\"true\"",
            "evict-me",
            "name=\"_csrf\"",
            "name=\"_connmgr_csrf\"");

    mvc.perform(
            action("/evict", s)
                .param("id", Long.toString(c.id()))
                .param("confirm", "true")
                .param("reason", "too chatty"))
        .andExpect(status().isFound())
        .andExpect(
            flash()
                .attribute(
                    "flash", org.hamcrest.Matchers.startsWith("Evicted connection " + c.id())));

    assertThat(c.isOpen()).isFalse();
    EvictionRecord r = manager.inspect().evictionHistory().get(0);
    assertThat(r.connectionId()).isEqualTo(c.id());
    assertThat(r.trigger()).isEqualTo(Trigger.OPERATOR);
    assertThat(r.reason()).isEqualTo("evicted from the console by admin: too chatty");
    // the overview hears of evictions through a listener, which may run a moment after the close
    overviewEventuallyShows("data-connection=\"" + c.id() + "\"", "operator");
  }

  @Test
  void aRecentlyEvictedPeersPageShowsWhenHowOftenAndTheBackoffLeftOnceItIsGone() throws Exception {
    ManagedConnection c = open("churny", Direction.INBOUND);
    manager.evict(c.id(), "test");
    manager.evict(open("churny", Direction.INBOUND).id(), "test again");

    String html =
        mvc.perform(get("/connmgr/peer").param("id", "churny").with(VIEWER))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(html)
        .contains(
            "id=\"eviction-memory\"",
            "Evicted recently",
            "id=\"times-evicted\">2<",
            "left: refused above high water",
            "id=\"forgotten-in\"");
    assertThat(html).containsPattern("id=\"backoff\"><span>1m 00s</span>");
  }

  @Test
  void trimNowRunsARoundAndReportsIt() throws Exception {
    for (int i = 0; i < 12; i++) {
      open("trim-" + i, Direction.INBOUND);
    }
    Session s = session(ADMIN);
    mvc.perform(action("/trim", s))
        .andExpect(status().isFound())
        .andExpect(flash().attribute("flash", "Trim: MANUAL round closed 7 of 7 wanted."));
    assertThat(manager.connectionCount()).isEqualTo(5);
    // the overview hears of rounds through a listener, which may run a moment after the round
    overviewEventuallyShows("id=\"rounds\"", "7 / 7");
  }

  /** Waits until the overview, as a viewer sees it, shows all of {@code parts}. */
  private void overviewEventuallyShows(String... parts) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        mvc.perform(get("/connmgr").with(VIEWER))
                            .andReturn()
                            .getResponse()
                            .getContentAsString())
                    .contains(parts));
  }

  // --- security -------------------------------------------------------------------------------

  @Test
  void anonymousUsersAreSentToLogIn() throws Exception {
    mvc.perform(get("/connmgr").accept(MediaType.TEXT_HTML))
        .andExpect(status().is3xxRedirection())
        .andExpect(redirectedUrl("/connmgr/login"));
    mvc.perform(get("/connmgr/connections")).andExpect(status().isUnauthorized());
    int before = manager.connectionCount();
    open("anonymous-target", Direction.INBOUND);
    mvc.perform(post("/connmgr/pin").with(csrf()).param("peer", "anonymous-target"))
        .andExpect(status().isUnauthorized());
    assertThat(manager.isProtected(PeerId.of("anonymous-target"), null)).isFalse();
    assertThat(manager.connectionCount()).isEqualTo(before + 1);
  }

  @Test
  void usersWithoutAConsoleRoleAreForbidden() throws Exception {
    for (String page : List.of("/connmgr", "/connmgr/connections", "/connmgr/scorers")) {
      mvc.perform(get(page).with(STRANGER)).andExpect(status().isForbidden());
    }
  }

  @Test
  void viewersSeeEveryPageButNoButtonAndCannotAct() throws Exception {
    ManagedConnection c = open("viewed", Direction.INBOUND);
    for (String page :
        List.of(
            "/connmgr", "/connmgr/connections", "/connmgr/scorers", "/connmgr/peer?id=viewed")) {
      String html =
          mvc.perform(get(page).with(VIEWER))
              .andExpect(status().isOk())
              .andReturn()
              .getResponse()
              .getContentAsString();
      assertThat(html)
          .as(page)
          .doesNotContain(
              "<button type=\"submit\" class=\"pin\"",
              "Trim now",
              "class=\"button danger evict\"",
              "_connmgr_csrf")
          .contains("view only");
    }
    Session admin = session(ADMIN);
    mvc.perform(
            post("/connmgr/pin")
                .session(admin.session())
                .with(VIEWER)
                .with(csrf())
                .param("_connmgr_csrf", admin.token())
                .param("peer", "viewed"))
        .andExpect(status().isForbidden());
    mvc.perform(get("/connmgr/evict").param("id", Long.toString(c.id())).with(VIEWER))
        .andExpect(status().isForbidden());
    assertThat(manager.isProtected(PeerId.of("viewed"), null)).isFalse();
  }

  @Test
  void adminsSeeTheButtons() throws Exception {
    open("buttons", Direction.INBOUND);
    String html =
        mvc.perform(get("/connmgr/connections").with(ADMIN))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(html)
        .contains("class=\"pin\"", "class=\"button danger evict\"", "name=\"_connmgr_csrf\"");
    assertThat(
            mvc.perform(get("/connmgr").with(ADMIN)).andReturn().getResponse().getContentAsString())
        .contains("Trim now");
  }

  @Test
  void aPostWithoutSpringSecuritysCsrfTokenIsForbidden() throws Exception {
    open("csrf-target", Direction.INBOUND);
    Session s = session(ADMIN);
    mvc.perform(
            post("/connmgr/pin")
                .session(s.session())
                .with(ADMIN)
                .param("_connmgr_csrf", s.token())
                .param("peer", "csrf-target"))
        .andExpect(status().isForbidden());
    mvc.perform(
            post("/connmgr/pin")
                .session(s.session())
                .with(ADMIN)
                .with(SecurityMockMvcRequestPostProcessors.csrf().useInvalidToken())
                .param("_connmgr_csrf", s.token())
                .param("peer", "csrf-target"))
        .andExpect(status().isForbidden());
    assertThat(manager.isProtected(PeerId.of("csrf-target"), null)).isFalse();
  }

  @Test
  void aPostWithoutTheConsolesOwnTokenIsForbiddenEvenWithSpringsToken() throws Exception {
    open("token-target", Direction.INBOUND);
    Session s = session(ADMIN);
    mvc.perform(
            post("/connmgr/pin")
                .session(s.session())
                .with(ADMIN)
                .with(csrf())
                .param("peer", "token-target"))
        .andExpect(status().isForbidden());
    mvc.perform(
            post("/connmgr/pin")
                .session(s.session())
                .with(ADMIN)
                .with(csrf())
                .param("_connmgr_csrf", "forged")
                .param("peer", "token-target"))
        .andExpect(status().isForbidden());
    mvc.perform(
            post("/connmgr/pin")
                .with(ADMIN)
                .with(csrf())
                .param("_connmgr_csrf", s.token())
                .param("peer", "token-target"))
        .andExpect(status().isForbidden());
    assertThat(manager.isProtected(PeerId.of("token-target"), null)).isFalse();
  }

  @Test
  void assetsAreServedFromTheModule() throws Exception {
    mvc.perform(get("/connmgr/assets/console.js").with(VIEWER))
        .andExpect(status().isOk())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("live")));
    mvc.perform(get("/connmgr/assets/console.css").with(VIEWER)).andExpect(status().isOk());
  }
}
