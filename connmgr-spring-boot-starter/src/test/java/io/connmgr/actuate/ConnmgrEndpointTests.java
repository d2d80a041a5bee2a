package io.connmgr.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.LeaseListener;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.actuate.ConnmgrEndpoint.PeerActionDescriptor;
import io.connmgr.actuate.ConnmgrEndpoint.PeerDescriptor;
import io.connmgr.actuate.ConnmgrEndpoint.RoundDescriptor;
import io.connmgr.actuate.ConnmgrEndpoint.SummaryDescriptor;
import io.connmgr.audit.ActionSource;
import io.connmgr.audit.AuditEntry;
import io.connmgr.audit.AuditResult;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.Operator;
import io.connmgr.audit.OperatorAction;
import io.connmgr.audit.OperatorActions;
import io.connmgr.autoconfigure.Connections;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

class ConnmgrEndpointTests {

  private static final SecurityContext NOBODY = SecurityContext.NONE;

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final ConnectionManager cm =
      ConnectionManager.builder()
          .lowWater(2)
          .highWater(3)
          .gracePeriod(Duration.ofSeconds(10))
          .maintenanceInterval(Duration.ZERO)
          .scorerBudget(Duration.ofSeconds(5))
          .clock((InstantSource) now::get)
          .build();
  private final Connections connections = new Connections(cm);
  private final AuditTrail trail = new AuditTrail(100, (InstantSource) now::get);
  private final ConnmgrEndpoint endpoint =
      new ConnmgrEndpoint(
          cm, new OperatorActions(cm, trail), new WriteAccess(WriteAccess.DEFAULT_ROLE, false));
  private final ConnmgrEndpointWebExtension web = new ConnmgrEndpointWebExtension(endpoint);

  @AfterEach
  void close() {
    cm.close();
  }

  @Test
  void summaryHasCountsWatermarksLastRoundLowestScoresAndEvictions() {
    cm.registerPeerScorer("rank", peer -> peer.id().value().startsWith("low") ? 0 : 500);
    cm.tagPeer(PeerId.of("high-1"), "friend", 20);
    connections.open("low-1");
    connections.open("low-2");
    connections.open("high-1", Direction.OUTBOUND);
    connections.open("high-2");
    now.set(now.get().plusSeconds(11));
    cm.trim();

    SummaryDescriptor summary = endpoint.summary();

    assertThat(summary.counts().connections()).isEqualTo(2);
    assertThat(summary.counts().outbound()).isEqualTo(1);
    assertThat(summary.watermarks().low()).isEqualTo(2);
    assertThat(summary.watermarks().high()).isEqualTo(3);
    assertThat(summary.watermarks().gracePeriod()).isEqualTo("PT10S");
    assertThat(summary.lastRound()).isNotNull();
    assertThat(summary.lastRound().trigger()).isEqualTo("manual");
    assertThat(summary.lastRound().evicted()).isEqualTo(2);
    assertThat(summary.lastRound().reachedTarget()).isTrue();
    assertThat(summary.lowest())
        .extracting(ConnmgrEndpoint.ScoreDescriptor::peer)
        .containsExactly("high-2", "high-1");
    assertThat(summary.lowest().get(1).breakdown())
        .containsEntry("tag:friend", 20.0)
        .containsEntry("scorer:rank", 500.0);
    assertThat(summary.lowest().get(1).score()).isEqualTo(520.0);
    assertThat(summary.recentEvictions())
        .extracting(ConnmgrEndpoint.EvictionDescriptor::peer)
        .containsExactlyInAnyOrder("low-1", "low-2");
    assertThat(summary.recentEvictions().get(0).breakdown()).containsEntry("scorer:rank", 0.0);
    assertThat(summary.scorers())
        .extracting(ConnmgrEndpoint.ScorerDescriptor::name)
        .containsExactly("rank");
  }

  @Test
  void summaryCountsRefusalsByLimit() {
    try (ConnectionManager denying =
        ConnectionManager.builder()
            .maintenanceInterval(Duration.ZERO)
            .deny(PeerId.of("troll"))
            .build()) {
      assertThatExceptionOfType(io.connmgr.ConnectionRefusedException.class)
          .isThrownBy(() -> new Connections(denying).open("troll"));
      assertThat(
              new ConnmgrEndpoint(
                      denying,
                      new OperatorActions(denying, trail),
                      new WriteAccess(WriteAccess.DEFAULT_ROLE, false))
                  .summary()
                  .refusals())
          .containsEntry("denied", 1L);
    }
  }

  @Test
  void summaryListsAtMostTwentyLowest() {
    for (int i = 0; i < 25; i++) {
      connections.open("p" + i);
    }
    assertThat(endpoint.summary().lowest()).hasSize(ConnmgrEndpoint.LOWEST);
  }

  @Test
  void peerDetailHasConnectionsStreamsTagsScoreLeasesAndProtection() {
    cm.registerConnectionScorer("relay", connection -> 42);
    ManagedConnection c = connections.open("alice");
    c.openStream("chat", Direction.INBOUND);
    c.lease(Duration.ofSeconds(30), LeaseListener.releasing());
    cm.tagPeer(PeerId.of("alice"), "friend", 5);
    cm.pin(PeerId.of("alice"));
    now.set(now.get().plusSeconds(4));

    WebEndpointResponse<Object> response = web.peer("alice");

    assertThat(response.getStatus()).isEqualTo(200);
    PeerDescriptor peer = (PeerDescriptor) response.getBody();
    assertThat(peer.id()).isEqualTo("alice");
    assertThat(peer.pinned()).isTrue();
    assertThat(peer.protections()).containsExactly(ConnectionManager.PIN_TAG);
    assertThat(peer.tags()).containsEntry("friend", 5);
    assertThat(peer.tagValue()).isEqualTo(5);
    assertThat(peer.connections())
        .singleElement()
        .satisfies(
            conn -> {
              assertThat(conn.id()).isEqualTo(c.id());
              assertThat(conn.direction()).isEqualTo("inbound");
              assertThat(conn.age()).isEqualTo("PT4S");
              assertThat(conn.streams())
                  .singleElement()
                  .satisfies(s -> assertThat(s.protocol()).isEqualTo("chat"));
              assertThat(conn.leases())
                  .singleElement()
                  .satisfies(
                      l -> {
                        assertThat(l.timeLeft()).isEqualTo("PT26S");
                        assertThat(l.active()).isTrue();
                      });
              assertThat(conn.score()).isNotNull();
              assertThat(conn.score().breakdown())
                  .containsEntry("tag:friend", 5.0)
                  .containsEntry("scorer:relay", 42.0);
              assertThat(conn.score().heldBack()).isEqualTo("protected");
            });
  }

  @Test
  void aRecentlyEvictedPeerShowsWhenHowOftenAndTheBackoffLeftEvenOnceGone() {
    connections.open("churner");
    connections.open("a");
    connections.open("b");
    cm.tagPeer(PeerId.of("a"), "useful", 10);
    cm.tagPeer(PeerId.of("b"), "useful", 10);
    now.set(now.get().plusSeconds(11));
    Instant evictedAt = now.get();
    cm.trim();
    now.set(now.get().plusSeconds(12));

    WebEndpointResponse<Object> response = web.peer("churner");

    assertThat(response.getStatus()).isEqualTo(200);
    PeerDescriptor peer = (PeerDescriptor) response.getBody();
    assertThat(peer.connections()).isEmpty();
    assertThat(peer.firstSeen()).isNull();
    assertThat(peer.recentEviction()).isNotNull();
    assertThat(peer.recentEviction().lastEvictedAt()).isEqualTo(evictedAt.toString());
    assertThat(peer.recentEviction().timesEvicted()).isEqualTo(1);
    assertThat(peer.recentEviction().backoff()).isEqualTo("PT30S");
    assertThat(peer.recentEviction().backoffLeft()).isEqualTo("PT18S");
    assertThat(peer.recentEviction().forgottenIn()).isEqualTo("PT9M48S");
    assertThat(((PeerDescriptor) web.peer("a").getBody()).recentEviction()).isNull();
  }

  @Test
  void unknownPeerIsNotFound() {
    WebEndpointResponse<Object> response = web.peer("nobody");
    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(message(response)).contains("nobody");
    assertThat(endpoint.peer("nobody")).isNull();
  }

  @Test
  void invalidPeerIdIsABadRequestWithAMessage() {
    WebEndpointResponse<Object> response = web.peer("x".repeat(300));
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(message(response)).contains("invalid peer id").contains("at most 256");
    assertThatExceptionOfType(InvalidEndpointRequestException.class)
        .isThrownBy(() -> endpoint.peer("x".repeat(300)));
  }

  @Test
  void trimRunsARound() {
    connections.open("a");
    connections.open("b");
    connections.open("c");
    now.set(now.get().plusSeconds(11));
    WebEndpointResponse<Object> response = web.trim(NOBODY, "trim");
    assertThat(response.getStatus()).isEqualTo(200);
    RoundDescriptor round = (RoundDescriptor) response.getBody();
    assertThat(round.evicted()).isEqualTo(1);
    assertThat(cm.connectionCount()).isEqualTo(2);
  }

  @Test
  void missingOrUnknownActionIsABadRequestAndChangesNothing() {
    connections.open("a");
    connections.open("b");
    connections.open("c");
    now.set(now.get().plusSeconds(11));
    assertThat(web.trim(NOBODY, null).getStatus()).isEqualTo(400);
    WebEndpointResponse<Object> unknown = web.trim(NOBODY, "explode");
    assertThat(unknown.getStatus()).isEqualTo(400);
    assertThat(message(unknown)).contains("unknown action \"explode\"").contains("[trim]");
    WebEndpointResponse<Object> peerUnknown = web.peerAction(NOBODY, "a", "trim");
    assertThat(peerUnknown.getStatus()).isEqualTo(400);
    assertThat(message(peerUnknown)).contains("[pin, unpin, evict]");
    assertThat(web.peerAction(NOBODY, "a", " ").getStatus()).isEqualTo(400);
    assertThat(web.peerAction(NOBODY, "bad\u0007id", "pin").getStatus()).isEqualTo(400);
    assertThat(cm.connectionCount()).isEqualTo(3);
    assertThat(cm.isProtected(PeerId.of("a"), null)).isFalse();
    assertThat(cm.stats().lastReport()).isEmpty();
  }

  @Test
  void pinAndUnpinAPeer() {
    connections.open("a");
    WebEndpointResponse<Object> pinned = web.peerAction(NOBODY, "a", "pin");
    assertThat(pinned.getStatus()).isEqualTo(200);
    assertThat(((PeerActionDescriptor) pinned.getBody()).pinned()).isTrue();
    assertThat(cm.isProtected(PeerId.of("a"), ConnectionManager.PIN_TAG)).isTrue();

    cm.protect(PeerId.of("a"), "relay");
    PeerActionDescriptor unpinned =
        (PeerActionDescriptor) web.peerAction(NOBODY, "a", "UNPIN").getBody();
    assertThat(unpinned.pinned()).isFalse();
    assertThat(unpinned.isProtected()).isTrue();
    assertThat(cm.isProtected(PeerId.of("a"), ConnectionManager.PIN_TAG)).isFalse();
  }

  @Test
  void aPeerWithoutConnectionsCanBePinnedAhead() {
    WebEndpointResponse<Object> response = web.peerAction(NOBODY, "future", "pin");
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(cm.isProtected(PeerId.of("future"), ConnectionManager.PIN_TAG)).isTrue();
  }

  @Test
  void evictClosesEveryConnectionOfThePeerEvenPinned() {
    connections.open("a");
    connections.open("a", Direction.OUTBOUND);
    connections.open("b");
    cm.pin(PeerId.of("a"));
    WebEndpointResponse<Object> response = web.peerAction(NOBODY, "a", "evict");
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(((PeerActionDescriptor) response.getBody()).evicted()).isEqualTo(2);
    assertThat(connections.closedPeers()).containsExactly("a", "a");
    assertThat(connections.closed())
        .allSatisfy(
            r ->
                assertThat(r.reason())
                    .isEqualTo("evicted by anonymous through the connmgr endpoint"));
  }

  @Test
  void evictingAnUnknownPeerIsNotFound() {
    assertThat(web.peerAction(NOBODY, "ghost", "evict").getStatus()).isEqualTo(404);
  }

  @Test
  void withSpringSecurityEveryWriteNeedsTheAdminRoleAndRefusalsAreOnRecord() {
    ConnmgrEndpointWebExtension guarded =
        new ConnmgrEndpointWebExtension(
            new ConnmgrEndpoint(
                cm, new OperatorActions(cm, trail), new WriteAccess("ROLE_CONNMGR_ADMIN", true)));
    connections.open("a");

    assertThat(guarded.trim(NOBODY, "trim").getStatus()).isEqualTo(401);
    assertThat(guarded.peerAction(user("viewer", "CONNMGR_VIEWER"), "a", "evict").getStatus())
        .isEqualTo(403);
    assertThat(guarded.peerAction(user("viewer", "CONNMGR_VIEWER"), "a", "explode").getStatus())
        .as("no role, no hint about the input either")
        .isEqualTo(403);
    assertThat(cm.connectionCount()).isEqualTo(1);
    assertThat(cm.stats().lastReport()).isEmpty();

    assertThat(guarded.peerAction(user("ops", "CONNMGR_ADMIN"), "a", "pin").getStatus())
        .isEqualTo(200);

    assertThat(trail.entries())
        .extracting(AuditEntry::principal, AuditEntry::action, AuditEntry::succeeded)
        .containsExactly(
            tuple("ops", OperatorAction.PIN, true),
            tuple("viewer", OperatorAction.EVICT, false),
            tuple(Operator.ANONYMOUS, OperatorAction.TRIM, false));
    assertThat(trail.entries())
        .allSatisfy(e -> assertThat(e.source()).isEqualTo(ActionSource.ACTUATOR));
  }

  @Test
  void refusedWritesCannotFlushTheOperatorActionsOffTheAuditTrail() {
    AuditTrail small = new AuditTrail(10, (InstantSource) now::get);
    ConnmgrEndpointWebExtension guarded =
        new ConnmgrEndpointWebExtension(
            new ConnmgrEndpoint(
                cm, new OperatorActions(cm, small), new WriteAccess("ROLE_CONNMGR_ADMIN", true)));
    assertThat(guarded.peerAction(user("ops", "CONNMGR_ADMIN"), "a", "pin").getStatus())
        .isEqualTo(200);
    for (int i = 0; i < 20; i++) {
      assertThat(guarded.peerAction(user("viewer", "CONNMGR_VIEWER"), "x" + i, "pin").getStatus())
          .isEqualTo(403);
    }

    ConnmgrEndpoint.AuditDescriptor audit =
        (ConnmgrEndpoint.AuditDescriptor) guarded.peer(ConnmgrEndpoint.AUDIT).getBody();
    assertThat(audit.entries())
        .filteredOn(e -> e.principal().equals("ops"))
        .singleElement()
        .satisfies(e -> assertThat(e.target()).isEqualTo("a"));
    assertThat(audit.entries())
        .filteredOn(e -> e.principal().equals("viewer"))
        .as("the last ten refusals, newest first")
        .hasSize(10)
        .first()
        .satisfies(e -> assertThat(e.target()).isEqualTo("x19"));
    assertThat(audit.entries()).last().satisfies(e -> assertThat(e.principal()).isEqualTo("ops"));
  }

  @Test
  void aRefusedWriteRecordsItsTargetOnlyWhenItIsAValidPeerId() {
    ConnmgrEndpointWebExtension guarded =
        new ConnmgrEndpointWebExtension(
            new ConnmgrEndpoint(
                cm, new OperatorActions(cm, trail), new WriteAccess("ROLE_CONNMGR_ADMIN", true)));
    String junk = "x".repeat(5000) + "\u202e";
    assertThat(guarded.peerAction(user("viewer", "CONNMGR_VIEWER"), junk, "pin").getStatus())
        .isEqualTo(403);
    assertThat(guarded.peerAction(user("viewer", "CONNMGR_VIEWER"), "QmFine", "pin").getStatus())
        .isEqualTo(403);
    assertThat(trail.entries())
        .extracting(AuditEntry::target)
        .containsExactly("QmFine", "an invalid peer id");
  }

  @Test
  void aPinThePinLimitRefusesIsAConflictOnRecord() {
    ConnmgrEndpointWebExtension full =
        new ConnmgrEndpointWebExtension(
            new ConnmgrEndpoint(
                cm,
                new OperatorActions(
                    cm,
                    trail,
                    peer -> {
                      throw new IllegalStateException("the pins file would pass its limit");
                    }),
                new WriteAccess(WriteAccess.DEFAULT_ROLE, false)));
    WebEndpointResponse<Object> response = full.peerAction(NOBODY, "QmOneTooMany", "pin");
    assertThat(response.getStatus()).isEqualTo(409);
    assertThat(message(response)).isEqualTo("the pins file would pass its limit");
    assertThat(cm.protections()).isEmpty();
    assertThat(trail.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.result()).isEqualTo(AuditResult.REFUSED));
  }

  @Test
  void anUnverifiedIdCannotBePinnedAndTheAttemptIsOnRecord() {
    WebEndpointResponse<Object> response =
        web.peerAction(NOBODY, PeerId.unverified("stable-1").value(), "pin");
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(message(response)).contains("cannot be pinned").contains("unverified");
    assertThat(cm.protections()).isEmpty();
    assertThat(trail.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.succeeded()).isFalse();
              assertThat(e.target()).isEqualTo("unverified:stable-1");
            });
  }

  @Test
  void theAuditTrailIsReadAtAudit() {
    connections.open("a");
    connections.open("b");
    connections.open("c");
    now.set(now.get().plusSeconds(11));
    web.trim(NOBODY, "trim");
    web.peerAction(NOBODY, "b", "pin");

    WebEndpointResponse<Object> response = web.peer(ConnmgrEndpoint.AUDIT);
    assertThat(response.getStatus()).isEqualTo(200);
    ConnmgrEndpoint.AuditDescriptor audit = (ConnmgrEndpoint.AuditDescriptor) response.getBody();
    assertThat(audit.size()).isEqualTo(100);
    assertThat(audit.entries())
        .extracting(ConnmgrEndpoint.AuditEntryDescriptor::action)
        .containsExactly("pin", "trim");
    assertThat(audit.entries().get(1).outcome())
        .contains("MANUAL round closed 1 of 1 wanted")
        .contains("round started 2026-01-01T00:00:11Z");
    assertThat(audit.entries().get(1).source()).isEqualTo("actuator");
    assertThat(endpoint.peer(ConnmgrEndpoint.AUDIT)).isEqualTo(endpoint.audit());
  }

  /**
   * Reads share one assessment for a second, however many come at once: an assessment scores every
   * connection with every scorer, and a read-only caller or a scraper made one per request before.
   * A write through the endpoint renews it, so the operator sees the effect at once.
   */
  @Test
  void readsShareOneAssessmentASecondAndTheEndpointsWritesRenewIt() throws Exception {
    AtomicLong nanos = new AtomicLong();
    ConnmgrEndpoint shared =
        new ConnmgrEndpoint(
            cm,
            new OperatorActions(cm, trail),
            new WriteAccess(WriteAccess.DEFAULT_ROLE, false),
            nanos::get);
    cm.registerPeerScorer("rank", peer -> 1);
    connections.open("a");
    connections.open("b");
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> reads = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        reads.add(readers.submit(shared::summary));
        reads.add(readers.submit(() -> shared.peer("a")));
      }
      for (Future<?> read : reads) {
        assertThat(read.get(30, TimeUnit.SECONDS)).isNotNull();
      }
    } finally {
      readers.shutdownNow();
    }
    assertThat(assessCalls()).as("one assessment: each of the 2 peers scored once").isEqualTo(2);

    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    shared.summary();
    assertThat(assessCalls()).isEqualTo(2);
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    shared.summary();
    assertThat(assessCalls()).as("a second later, a new one").isEqualTo(4);

    shared.trim(NOBODY, "trim");
    shared.summary();
    assertThat(assessCalls()).as("the endpoint's write forgot it").isEqualTo(6);
  }

  private long assessCalls() {
    return cm.inspect().scorers().get(0).assessCalls();
  }

  private static SecurityContext user(String name, String role) {
    return new SecurityContext() {
      @Override
      public java.security.Principal getPrincipal() {
        return () -> name;
      }

      @Override
      public boolean isUserInRole(String wanted) {
        return role.equals(wanted);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static String message(WebEndpointResponse<Object> response) {
    return String.valueOf(((Map<String, Object>) response.getBody()).get("message"));
  }
}
