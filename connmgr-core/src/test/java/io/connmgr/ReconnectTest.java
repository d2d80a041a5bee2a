package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.connmgr.inspect.RecentEviction;
import io.connmgr.inspect.TagInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The eviction memory seen from outside: a peer evicted and straight back gets no grace period, is
 * refused above high water while its backoff runs, and (when asked) gets its tags and state back.
 * The defaults: 10 000 peers, a 10-minute window, a first backoff of 30 s.
 */
class ReconnectTest {

  static final PeerId E = PeerId.of("E");
  static final PeerId KEEP = PeerId.of("keep");
  static final PeerId MID = PeerId.of("mid");

  /** A low-value peer E and two valuable ones, past grace, at {@code low}/{@code high}. */
  private static Harness threePeers(ConnectionManager.Builder builder) {
    Harness h = new Harness(builder.scorerBudget(Duration.ofSeconds(5)));
    h.open("keep");
    h.open("mid");
    h.open("E");
    h.cm.tagPeer(KEEP, "keep", 100);
    h.cm.tagPeer(MID, "kad", 50);
    h.pastGrace();
    return h;
  }

  private static ConnectionRefusedException refusal(Harness h, String peer) {
    return catchThrowableOfType(ConnectionRefusedException.class, () -> h.open(peer));
  }

  @Test
  void anEvictedPeerBackAtOnceHasNoGraceSoTheNextRoundTakesItAgainNotAValuablePeer() {
    try (Harness h = threePeers(ConnectionManager.builder().lowWater(2).highWater(3))) {
      h.cm.trim();
      assertThat(h.closedPeers()).containsExactly("E");

      h.open("E");
      TrimReport second = h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("E", "E");
      assertThat(second.skipped().get(SkipReason.GRACE)).isZero();
      assertThat(h.cm.inspect().assess().connections())
          .filteredOn(s -> s.heldBack() == null)
          .extracting(s -> s.peer().value())
          .containsExactly("mid", "keep");
    }
  }

  @Test
  void withoutTheMemoryTheReturningPeerIsInGraceAndTheRoundClosesAValuablePeerInstead() {
    try (Harness h =
        threePeers(ConnectionManager.builder().lowWater(2).highWater(3).evictionMemorySize(0))) {
      h.cm.trim();
      h.open("E");
      h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("E", "mid");
      assertThat(h.cm.inspect().recentEviction(E)).isEmpty();
      assertThat(h.cm.inspect().recentlyEvictedPeers()).isZero();
    }
  }

  @Test
  void aPeerBackAfterTheWindowIsForgottenAndHasItsGraceAgain() {
    try (Harness h =
        threePeers(
            ConnectionManager.builder()
                .lowWater(2)
                .highWater(3)
                .evictionMemoryWindow(Duration.ofMinutes(2))
                .reconnectBackoff(Duration.ofSeconds(10)))) {
      h.cm.trim();
      assertThat(h.cm.inspect().recentEviction(E)).isPresent();
      h.clock.advance(Duration.ofMinutes(2));

      h.open("E");
      h.cm.trim();

      assertThat(h.cm.inspect().recentEviction(E)).isEmpty();
      assertThat(h.closedPeers()).containsExactly("E", "mid");
    }
  }

  @Test
  void atHighWaterAnInboundReconnectIsRefusedWhileItsBackoffRunsNamingBackoffAndTimeLeft() {
    try (Harness h = threePeers(ConnectionManager.builder().lowWater(2).highWater(2))) {
      List<String> refusedEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRefusal(PeerId peer, Direction direction, AdmissionLimit limit) {
              refusedEvents.add(peer + " " + limit);
            }
          });
      h.cm.trim();
      h.clock.advance(Duration.ofSeconds(10));

      ConnectionRefusedException e = refusal(h, "E");

      assertThat(e.limit()).isEqualTo(AdmissionLimit.RECENTLY_EVICTED);
      assertThat(e.peer()).isEqualTo(E);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
      assertThat(e)
          .hasMessageContaining("RECENTLY_EVICTED")
          .hasMessageContaining("reconnect backoff 30.0 s, 20.0 s left")
          .hasMessageContaining("evicted 1 time");
      assertThat(h.cm.stats().refusals()).containsEntry(AdmissionLimit.RECENTLY_EVICTED, 1L);
      Eventually.eventually(() -> assertThat(refusedEvents).containsExactly("E RECENTLY_EVICTED"));
      assertThat(h.cm.connectionCount()).isEqualTo(2);
      assertThat(h.cm.inspect().tagInfo(E)).isEmpty();
    }
  }

  @Test
  void aRoundsEvictionsAreRememberedFromTheRoundsStartLikeTheirRecordsHoweverLongTheClosersTake() {
    try (Harness h = new Harness(ConnectionManager.builder().lowWater(1).highWater(2))) {
      List<EvictionRecord> records = new ArrayList<>();
      h.open("keep");
      h.cm.tagPeer(KEEP, "keep", 100);
      // E's closer takes 10 s of the manager's clock; mid's, run after it, 5 s more
      h.cm.connectionOpened(E, Direction.INBOUND, "127.0.0.1:4001", slowCloser(h, records, 10));
      h.cm.connectionOpened(MID, Direction.INBOUND, "127.0.0.1:4001", slowCloser(h, records, 5));
      h.cm.tagPeer(MID, "kad", 50);
      h.pastGrace();
      Instant roundStart = h.clock.instant();

      h.cm.trim();

      assertThat(records).extracting(r -> r.peer().value()).containsExactly("E", "mid");
      assertThat(records).extracting(EvictionRecord::at).containsOnly(roundStart);
      for (PeerId peer : List.of(E, MID)) {
        RecentEviction memory = h.cm.inspect().recentEviction(peer).orElseThrow();
        assertThat(memory.lastEvictedAt()).isEqualTo(roundStart);
        // 15 s of the 30 s backoff went by while the two closers ran
        assertThat(memory.backoffLeft()).isEqualTo(Duration.ofSeconds(15));
      }
    }
  }

  private static Closer slowCloser(Harness h, List<EvictionRecord> records, int seconds) {
    return r -> {
      records.add(r);
      h.clock.advance(Duration.ofSeconds(seconds));
    };
  }

  @Test
  void onceTheBackoffIsOverTheReturningPeerIsAdmittedButStillWithoutGrace() {
    try (Harness h = threePeers(ConnectionManager.builder().lowWater(2).highWater(2))) {
      h.cm.trim();
      h.clock.advance(Duration.ofSeconds(30));

      h.open("E");
      h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("E", "E");
      assertThat(h.cm.stats().refusals()).containsEntry(AdmissionLimit.RECENTLY_EVICTED, 0L);
    }
  }

  @Test
  void belowHighWaterOrOutboundAReturningPeerIsNeverRefused() {
    try (Harness h = threePeers(ConnectionManager.builder().lowWater(1).highWater(3))) {
      h.cm.trim(); // closes E and mid: 1 left, below high water
      ManagedConnection inbound = h.open("E");
      ManagedConnection outbound = h.open("mid", Direction.OUTBOUND);
      h.open("third"); // 4: now above high water
      ManagedConnection secondOutbound = h.open("E", Direction.OUTBOUND);

      assertThat(List.of(inbound, outbound, secondOutbound))
          .allSatisfy(c -> assertThat(c.isOpen()).isTrue());
      assertThat(refusal(h, "mid").limit()).isEqualTo(AdmissionLimit.RECENTLY_EVICTED);
    }
  }

  @Test
  void pinnedAllowedAndProtectedPeersAreNeverRefusedForABackoff() {
    PeerId allowed = PeerId.of("allowed");
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(1).highWater(1).allow(allowed))) {
      ManagedConnection pinned = h.open("pinned");
      ManagedConnection relay = h.open("relay");
      ManagedConnection friend = h.open("allowed");
      h.open("plain");
      h.open("filler");
      h.cm.tagPeer(PeerId.of("filler"), "useful", 5);
      h.pastGrace();
      h.cm.pin(PeerId.of("pinned"));
      h.cm.protect(PeerId.of("relay"), "relay");
      // the operator evicts whatever protects them; the allowed and the plain peer go in a round
      h.cm.evict(pinned.id(), "operator test");
      h.cm.evict(relay.id(), "operator test");
      h.cm.trim();
      assertThat(h.closedPeers()).containsExactlyInAnyOrder("pinned", "relay", "allowed", "plain");
      assertThat(List.of("pinned", "relay", "allowed", "plain"))
          .allSatisfy(
              p ->
                  assertThat(
                          h.cm.inspect().recentEviction(PeerId.of(p)).orElseThrow().backoffLeft())
                      .isPositive());
      assertThat(h.cm.connectionCount()).isEqualTo(1);

      assertThat(refusal(h, "plain").limit()).isEqualTo(AdmissionLimit.RECENTLY_EVICTED);
      assertThat(h.open("pinned").isOpen()).isTrue();
      assertThat(h.open("relay").isOpen()).isTrue();
      assertThat(h.open("allowed").isOpen()).isTrue();
      assertThat(h.cm.stats().refusals()).containsEntry(AdmissionLimit.RECENTLY_EVICTED, 1L);
      assertThat(friend.isOpen()).isFalse();
    }
  }

  @Test
  void theBackoffDoublesForAPeerThatKeepsComingBackAndStopsAtTheWindow() {
    try (Harness h =
        threePeers(
            ConnectionManager.builder()
                .lowWater(2)
                .highWater(2)
                .evictionMemoryWindow(Duration.ofMinutes(3))
                .reconnectBackoff(Duration.ofSeconds(20)))) {
      List<Duration> backoffs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        h.cm.trim();
        RecentEviction memory = h.cm.inspect().recentEviction(E).orElseThrow();
        assertThat(memory.timesEvicted()).isEqualTo(i + 1);
        assertThat(memory.lastEvictedAt()).isEqualTo(h.clock.instant());
        assertThat(memory.backoffLeft()).isEqualTo(memory.backoff());
        assertThat(memory.forgottenIn()).isEqualTo(Duration.ofMinutes(3));
        backoffs.add(memory.backoff());
        h.clock.advance(memory.backoff());
        // (the last backoff is the whole window: the peer is forgotten as it ends)
        assertThat(h.cm.inspect().recentEviction(E).map(r -> !r.backoffLeft().isZero()))
            .isNotEqualTo(java.util.Optional.of(true));
        h.open("E");
      }

      assertThat(backoffs)
          .containsExactly(
              Duration.ofSeconds(20),
              Duration.ofSeconds(40),
              Duration.ofSeconds(80),
              Duration.ofSeconds(160),
              Duration.ofMinutes(3));
    }
  }

  static final AttachmentKey<List<String>> NOTES = AttachmentKey.of("notes", ArrayList::new);

  @Test
  void whenAskedAReturningPeerGetsBackItsTagsAndStateAsTheyWereAtEviction() {
    try (Harness h =
        threePeers(
            ConnectionManager.builder().lowWater(2).highWater(3).restoreStateOnReconnect(true))) {
      DecayingTag gossip =
          h.cm.registerDecayingTag(
              "gossip", Duration.ofMinutes(1), DecayFunctions.fixed(1), BumpFunctions.sum());
      h.cm.tagPeer(E, "kad", 3);
      gossip.bump(E, 2);
      h.cm.updatePeer(E, NOTES, n -> n.add("served 3 blocks"));
      List<String> notes = h.cm.peerState(E, NOTES);
      h.cm.registerVeto(
          "not-the-others",
          (c, r) -> c.peer().equals(E) ? Verdict.allow() : Verdict.veto("test keeps them"));
      h.cm.trim();
      assertThat(h.closedPeers()).containsExactly("E");
      assertThat(h.cm.inspect().tagInfo(E)).isEmpty();

      h.cm.tagPeer(E, "kad", 9); // set while it was away: this one wins
      h.open("E");

      TagInfo info = h.cm.inspect().tagInfo(E).orElseThrow();
      assertThat(info.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("kad", 9, "gossip", 2));
      assertThat(info.value()).isEqualTo(11);
      assertThat(h.cm.peerState(E, NOTES)).isSameAs(notes).containsExactly("served 3 blocks");
      gossip.bump(E, 1);
      assertThat(h.cm.inspect().tagInfo(E).orElseThrow().tags()).containsEntry("gossip", 3);
    }
  }

  @Test
  void byDefaultAReturningPeerStartsWithNoTagsAndFreshState() {
    try (Harness h = threePeers(ConnectionManager.builder().lowWater(2).highWater(3))) {
      h.cm.tagPeer(E, "kad", 3);
      h.cm.updatePeer(E, NOTES, n -> n.add("old"));
      h.cm.registerVeto(
          "not-the-others",
          (c, r) -> c.peer().equals(E) ? Verdict.allow() : Verdict.veto("test keeps them"));
      h.cm.trim();

      h.open("E");

      assertThat(h.cm.inspect().tagInfo(E).orElseThrow().tags()).isEmpty();
      assertThat(h.cm.peerState(E, NOTES)).isEmpty();
    }
  }

  @Test
  void aDecayingTagClosedWhileThePeerWasAwayDoesNotComeBack() {
    try (Harness h =
        threePeers(
            ConnectionManager.builder().lowWater(2).highWater(3).restoreStateOnReconnect(true))) {
      DecayingTag gossip =
          h.cm.registerDecayingTag(
              "gossip", Duration.ofMinutes(1), DecayFunctions.fixed(1), BumpFunctions.sum());
      gossip.bump(E, 2);
      h.cm.trim();
      gossip.close();

      h.open("E");

      assertThat(h.cm.inspect().tagInfo(E).orElseThrow().tags()).isEmpty();
    }
  }

  @Test
  void shutdownClosesAreNotRememberedButOperatorEvictionsAre() {
    try (Harness h = threePeers(ConnectionManager.builder().lowWater(2).highWater(3))) {
      ManagedConnection keep = h.cm.connectionOpened(KEEP, Direction.INBOUND, "x", r -> {});
      h.cm.evict(keep.id(), "misbehaving");
      assertThat(h.cm.inspect().recentEviction(KEEP)).isPresent();

      h.cm.closeAll("maintenance");

      assertThat(h.cm.inspect().recentEviction(MID)).isEmpty();
      assertThat(h.cm.inspect().recentEviction(E)).isEmpty();
    }
  }

  @Test
  void theBuilderChecksTheMemorysSettings() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().evictionMemorySize(-1).build())
        .withMessageContaining("evictionMemorySize");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().evictionMemorySize(1_000_001).build())
        .withMessageContaining("evictionMemorySize");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().evictionMemoryWindow(Duration.ZERO).build())
        .withMessageContaining("evictionMemoryWindow");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> ConnectionManager.builder().evictionMemoryWindow(Duration.ofDays(2)).build())
        .withMessageContaining("evictionMemoryWindow = 2d: must be above 0, up to 1d");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> ConnectionManager.builder().reconnectBackoff(Duration.ofSeconds(-1)).build())
        .withMessageContaining("reconnectBackoff");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                ConnectionManager.builder()
                    .evictionMemoryWindow(Duration.ofMinutes(1))
                    .reconnectBackoff(Duration.ofMinutes(2))
                    .build())
        .withMessageContaining(
            "reconnectBackoff = 2m: must not be longer than " + "the eviction memory window (1m)");
  }

  /**
   * Real threads: four transports reconnect recently evicted peers as fast as they can while
   * another thread trims. Every attempt is either admitted or refused for a stated limit, the count
   * always equals the connections the transports hold open, and pinned peers are never refused.
   */
  @Test
  void concurrentReconnectsAndRoundsKeepTheCountExact() throws Exception {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(20)
                .highWater(30)
                .reconnectBackoff(Duration.ofSeconds(1)))) {
      RecordingCloser closer = new RecordingCloser();
      for (int i = 0; i < 4; i++) {
        h.cm.pin(PeerId.of("pinned-" + i));
      }
      ExecutorService pool = Executors.newFixedThreadPool(5);
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<long[]>> transports = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int me = t;
        transports.add(
            pool.submit(
                () -> {
                  start.await();
                  long admitted = 0;
                  long refusedPinned = 0;
                  for (int i = 0; i < 3000; i++) {
                    if (i % 50 == 0) {
                      h.clock.advance(
                          Duration.ofMillis(500)); // time moves: connections leave grace
                    }
                    String peer = i % 10 == 0 ? "pinned-" + me : "p-" + me + "-" + (i % 40);
                    try {
                      closer.open(h.cm, peer);
                      admitted++;
                    } catch (ConnectionRefusedException e) {
                      assertThat(e.limit()).isEqualTo(AdmissionLimit.RECENTLY_EVICTED);
                      if (peer.startsWith("pinned")) {
                        refusedPinned++;
                      }
                    }
                  }
                  return new long[] {admitted, refusedPinned};
                }));
      }
      Future<?> trimmer =
          pool.submit(
              () -> {
                start.await();
                while (!stop.get()) {
                  h.cm.trim();
                  Thread.yield();
                }
                return null;
              });
      start.countDown();
      long admitted = 0;
      for (Future<long[]> f : transports) {
        long[] r = f.get(60, TimeUnit.SECONDS);
        admitted += r[0];
        assertThat(r[1]).as("pinned refusals").isZero();
      }
      stop.set(true);
      trimmer.get(60, TimeUnit.SECONDS);
      pool.shutdown();

      assertThat(h.cm.connectionCount()).isEqualTo(admitted - closer.records().size());
      assertThat(h.cm.inspect().snapshot().connections()).hasSize(h.cm.connectionCount());
      // and once quiet, a round still behaves: it trims to low water past grace
      h.pastGrace();
      h.cm.trim();
      assertThat(closer.records()).isNotEmpty();
      assertThat(h.cm.connectionCount()).isEqualTo(admitted - closer.records().size());
    }
  }
}
