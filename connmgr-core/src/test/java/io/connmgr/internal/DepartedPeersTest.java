package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.connmgr.AdmissionLimit;
import io.connmgr.Closer;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionRefusedException;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import io.connmgr.TrimReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A round's closes mark a peer that lost its last connection removed at once and leave its removal
 * from the peers map to after the round ({@link DepartedPeers}): in between, nobody may see or use
 * the entry, whoever meets it takes it out, and the counts stay right.
 */
class DepartedPeersTest {

  private static PeerId peer(int i) {
    return SlotFixture.peer(i);
  }

  /** Closes {@code c} as a round does (marked CLOSED first), its peer left in {@code departed}. */
  private static void closeInARound(SlotFixture f, ConnectionEntry c, DepartedPeers departed) {
    assertThat(c.transition(ConnectionEntry.OPEN, ConnectionEntry.CLOSED)).isTrue();
    f.table.remove(c, departed);
  }

  @Test
  void aDepartedPeerIsGoneAtOnceAndLeavesTheMapWhenTheRoundTidiesUp() {
    try (SlotFixture f = new SlotFixture()) {
      ConnectionEntry c = f.open(peer(1), Direction.INBOUND);
      f.open(peer(2), Direction.OUTBOUND);
      DepartedPeers departed = new DepartedPeers(null);

      closeInARound(f, c, departed);

      assertThat(departed.size()).isEqualTo(1);
      assertThat(f.table.peers()).hasSize(2); // still in the map, marked removed
      assertThat(f.table.peerCount()).isEqualTo(1);
      assertThat(f.table.connectionCount()).isEqualTo(1);
      assertThat(f.table.get(peer(1))).isNull();
      f.assertConsistent();

      f.table.forgetDeparted(departed);

      assertThat(departed.size()).isZero();
      assertThat(f.table.peers()).extracting(PeerEntry::id).containsExactly(peer(2));
      assertThat(f.table.peerCount()).isEqualTo(1);
    }
  }

  @Test
  void aLookupThatMeetsADepartedPeerTakesItOutOfTheMap() {
    try (SlotFixture f = new SlotFixture()) {
      ConnectionEntry c = f.open(peer(1), Direction.INBOUND);
      DepartedPeers departed = new DepartedPeers(null);
      closeInARound(f, c, departed);

      assertThat(f.table.withExistingPeer(peer(1), PeerEntry::id)).isNull();

      assertThat(f.table.peers()).isEmpty();
      assertThat(f.table.peerCount()).isZero();
      f.table.forgetDeparted(departed);
      assertThat(f.table.peerCount()).as("counted off once").isZero();
      f.open(peer(2), Direction.INBOUND);
      assertThat(f.table.peerCount()).isEqualTo(1);
    }
  }

  @Test
  void aPeerThatComesBackBeforeTheTidyingGetsAFreshEntryWhichTheTidyingLeavesAlone() {
    try (SlotFixture f = new SlotFixture()) {
      ConnectionEntry c = f.open(peer(1), Direction.INBOUND);
      f.table.changeTag(peer(1), "old", 7, null, PeerTable.TagChange.SET);
      PeerEntry before = c.peerEntry();
      DepartedPeers departed = new DepartedPeers(null);
      closeInARound(f, c, departed);

      ConnectionEntry back = f.open(peer(1), Direction.INBOUND);

      assertThat(back.peerEntry()).isNotSameAs(before);
      assertThat(back.peerEntry().tagValue()).as("the old entry's tags left with it").isZero();
      assertThat(f.table.peerCount()).isEqualTo(1);
      assertThat(f.table.peers()).containsExactly(back.peerEntry());

      f.table.forgetDeparted(departed);

      assertThat(f.table.get(peer(1))).isSameAs(back.peerEntry());
      assertThat(f.table.peerCount()).isEqualTo(1);
      f.assertConsistent();
    }
  }

  @Test
  void aTagOnADepartedPeerMakesATemporaryEntryAndAnUntagChangesNothing() {
    try (SlotFixture f = new SlotFixture()) {
      ConnectionEntry c = f.open(peer(1), Direction.INBOUND);
      ConnectionEntry d = f.open(peer(2), Direction.INBOUND);
      DepartedPeers departed = new DepartedPeers(null);
      closeInARound(f, c, departed);
      closeInARound(f, d, departed);

      f.table.changeTag(peer(1), "t", 5, null, PeerTable.TagChange.SET);
      f.table.changeTag(peer(2), "t", 0, null, PeerTable.TagChange.REMOVE);

      PeerEntry tagged = f.table.get(peer(1));
      assertThat(tagged).isNotNull().isNotSameAs(c.peerEntry());
      assertThat(tagged.isTemporary()).isTrue();
      assertThat(tagged.tagValue()).isEqualTo(5);
      assertThat(f.table.get(peer(2))).isNull();
      assertThat(f.table.peerCount()).isEqualTo(1);

      f.table.forgetDeparted(departed);
      assertThat(f.table.peers()).containsExactly(tagged);
      assertThat(f.table.peerCount()).isEqualTo(1);
    }
  }

  /**
   * Two threads close peers' last connections as rounds do and tidy up, while two others reconnect
   * and tag the same peers: no entry is lost or kept, and the peer count is the map's live entries.
   */
  @Test
  void concurrentReturnsAndTidyingsKeepTheCountsRight() throws Exception {
    int peers = 64;
    int rounds = 300;
    try (SlotFixture f = new SlotFixture()) {
      for (int i = 0; i < peers; i++) {
        f.open(peer(i), Direction.INBOUND);
      }
      CyclicBarrier start = new CyclicBarrier(4);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int half = t;
        threads.add(
            new Thread(
                () -> {
                  try {
                    start.await();
                    DepartedPeers departed = new DepartedPeers(null);
                    for (int r = 0; r < rounds; r++) {
                      for (int i = half; i < peers; i += 2) {
                        PeerEntry e = f.table.get(peer(i));
                        ConnectionEntry[] open = e == null ? null : e.connectionArray();
                        if (open != null && open.length > 0) {
                          ConnectionEntry c = open[0];
                          if (c.transition(ConnectionEntry.OPEN, ConnectionEntry.CLOSED)) {
                            f.table.remove(c, departed);
                          }
                        }
                      }
                      f.table.forgetDeparted(departed);
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                }));
        threads.add(
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                      for (int i = half; i < peers; i += 2) {
                        if (f.table.get(peer(i)) == null) {
                          f.open(peer(i), Direction.OUTBOUND);
                        }
                        f.table.changeTag(peer(i), "t", r, null, PeerTable.TagChange.SET);
                      }
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(t.isAlive()).as("%s finished", t).isFalse();
      }
      assertThat(failure.get()).isNull();
      long live = f.table.peers().stream().filter(e -> !e.isRemoved()).count();
      assertThat(f.table.peers()).as("every departed entry left the map").hasSize((int) live);
      assertThat(f.table.peerCount()).isEqualTo(live);
      int connections = 0;
      for (PeerEntry e : f.table.peers()) {
        connections += e.connectionArray().length;
      }
      assertThat(f.table.connectionCount()).isEqualTo(connections);
      f.assertConsistent();
    }
  }

  /** Low water 1, high water 2, no grace, a callback budget of 100 ms. */
  private static ConnectionManager managerWithShortBudget() {
    return ConnectionManager.builder()
        .lowWater(1)
        .highWater(2)
        .gracePeriod(Duration.ZERO)
        .callbackBudget(Duration.ofMillis(100))
        .build();
  }

  /** A closer that hangs until {@code release} opens. */
  private static Closer hangingUntil(CountDownLatch release) {
    return why -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /**
   * Opens peer 9 (kept), peer 1, and peer 2 with a closer that hangs until {@code release}, and
   * trims: the round closes peer 1 first and stops at peer 2's closer.
   */
  private static TrimReport roundStalledOnPeer2(ConnectionManager cm, CountDownLatch release) {
    cm.connectionOpened(peer(9), Direction.OUTBOUND, "10.0.0.9:1", why -> {});
    cm.tagPeer(peer(9), "keep", 100);
    cm.connectionOpened(peer(1), Direction.INBOUND, "10.0.0.1:1", why -> {});
    cm.connectionOpened(peer(2), Direction.INBOUND, "10.0.0.2:1", hangingUntil(release));
    cm.tagPeer(peer(2), "keep", 10); // closed after peer 1
    TrimReport report = cm.trim();
    assertThat(report.stalledOn()).isNotNull();
    return report;
  }

  /**
   * A round whose closer hangs ends without it; when the closer returns, its close is accounted for
   * and its peer is gone all the same.
   */
  @Test
  void aHungClosersPeerIsGoneWhenTheCloserReturns() {
    CountDownLatch release = new CountDownLatch(1);
    try (ConnectionManager cm = managerWithShortBudget()) {
      cm.connectionOpened(peer(2), Direction.OUTBOUND, "10.0.0.2:1", why -> {});
      cm.connectionOpened(peer(1), Direction.INBOUND, "10.0.0.1:1", hangingUntil(release));
      assertThat(cm.trim().stalledOn()).isNotNull();

      release.countDown();

      await().atMost(Duration.ofSeconds(10)).until(() -> cm.connectionCount() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> cm.peerCount() == 1);
    }
  }

  /**
   * A round whose second closer hangs stops there, and its tidying waits for that closer: the
   * eviction of the peer it closed first waits on that peer's departed entry all the while, and
   * counts all the same (the memory's count and the peer's record show it, its reconnect is
   * refused), and is recorded once when the closer returns.
   */
  @Test
  void anEvictionWaitingBehindAHungCloserCountsAllTheSame() {
    CountDownLatch release = new CountDownLatch(1);
    try (ConnectionManager cm = managerWithShortBudget()) {
      roundStalledOnPeer2(cm, release);

      assertThat(cm.inspect().recentlyEvictedPeers()).isEqualTo(1);
      assertThat(cm.inspect().recentEviction(peer(1))).isPresent();
      assertThat(
              catchThrowableOfType(
                      ConnectionRefusedException.class,
                      () ->
                          cm.connectionOpened(peer(1), Direction.INBOUND, "10.0.0.1:2", why -> {}))
                  .limit())
          .isEqualTo(AdmissionLimit.RECENTLY_EVICTED);

      release.countDown();

      await().atMost(Duration.ofSeconds(10)).until(() -> cm.peerCount() == 1);
      assertThat(cm.inspect().recentlyEvictedPeers()).isEqualTo(2);
      assertThat(cm.inspect().recentEviction(peer(1)).orElseThrow().timesEvicted()).isEqualTo(1);
    }
  }

  /**
   * Two rounds' evictions wait on departed entries at once: the first round's behind its hung
   * closer, the next round's until it tidies up. Each eviction is found through its own round and
   * recorded once, at that round's time, whoever meets it first.
   */
  @Test
  void evictionsOfTwoRoundsWaitingAtOnceAreEachRecordedOnceAtTheirOwnRoundsTime() {
    CountDownLatch release = new CountDownLatch(1);
    try (ConnectionManager cm = managerWithShortBudget()) {
      TrimReport first = roundStalledOnPeer2(cm, release);
      cm.connectionOpened(peer(3), Direction.INBOUND, "10.0.0.3:1", why -> {});
      cm.connectionOpened(peer(4), Direction.INBOUND, "10.0.0.4:1", why -> {});

      TrimReport second = cm.trim();

      assertThat(second.evicted()).extracting(r -> r.peer()).containsOnly(peer(3), peer(4));
      assertThat(cm.inspect().recentEviction(peer(1)))
          .as("the first round's eviction, met while the second round is registered too")
          .hasValueSatisfying(e -> assertThat(e.lastEvictedAt()).isEqualTo(first.startedAt()));
      assertThat(cm.inspect().recentEviction(peer(3)))
          .hasValueSatisfying(e -> assertThat(e.lastEvictedAt()).isEqualTo(second.startedAt()));

      release.countDown();

      await().atMost(Duration.ofSeconds(10)).until(() -> cm.peerCount() == 1);
      assertThat(cm.inspect().recentlyEvictedPeers()).isEqualTo(4);
      for (int i = 1; i <= 4; i++) {
        Instant at = i <= 2 ? first.startedAt() : second.startedAt();
        assertThat(cm.inspect().recentEviction(peer(i)))
            .as("peer %d", i)
            .hasValueSatisfying(
                e -> {
                  assertThat(e.timesEvicted()).isEqualTo(1);
                  assertThat(e.lastEvictedAt()).isEqualTo(at);
                });
      }
    }
  }

  /**
   * A closer that calls back in and reconnects its own peer: the peer keeps its entry (it never
   * lost its last connection), and a peer closed by the same round that reconnects right after gets
   * a fresh one.
   */
  @Test
  void aCloserThatReconnectsItsPeerLeavesItKnown() {
    try (ConnectionManager cm =
        ConnectionManager.builder().lowWater(1).highWater(2).gracePeriod(Duration.ZERO).build()) {
      cm.connectionOpened(peer(9), Direction.OUTBOUND, "10.0.0.9:1", why -> {});
      cm.connectionOpened(
          peer(1),
          Direction.INBOUND,
          "10.0.0.1:1",
          why -> cm.connectionOpened(peer(1), Direction.OUTBOUND, "10.0.0.1:2", again -> {}));
      cm.connectionOpened(peer(2), Direction.INBOUND, "10.0.0.2:1", why -> {});

      assertThat(cm.trim().evicted()).hasSize(2);

      assertThat(cm.connectionCount()).isEqualTo(2); // peer 9's and peer 1's new one
      assertThat(cm.peerCount()).isEqualTo(2);
      assertThat(
              catchThrowableOfType(
                      ConnectionRefusedException.class,
                      () ->
                          cm.connectionOpened(peer(2), Direction.INBOUND, "10.0.0.2:2", why -> {}))
                  .limit())
          .as("the departed peer's eviction is remembered at once")
          .isEqualTo(AdmissionLimit.RECENTLY_EVICTED);
      cm.connectionOpened(peer(2), Direction.OUTBOUND, "10.0.0.2:3", why -> {});
      assertThat(cm.peerCount()).isEqualTo(3);
      assertThat(cm.inspect().snapshot().peers()).hasSize(3);
    }
  }

  /**
   * A round records its evictions in the eviction memory only once its caller has the report, but
   * they count at once: a peer the round closed that reconnects while the round still runs (from a
   * later closer of the same round, before any tidying) is refused with its backoff.
   */
  @Test
  void aPeerClosedEarlierInTheRoundIsRefusedWhileTheRoundStillRuns() {
    try (ConnectionManager cm =
        ConnectionManager.builder().lowWater(1).highWater(2).gracePeriod(Duration.ZERO).build()) {
      AtomicReference<Object> reconnect = new AtomicReference<>();
      cm.connectionOpened(peer(9), Direction.OUTBOUND, "10.0.0.9:1", why -> {});
      cm.tagPeer(peer(9), "keep", 100);
      cm.connectionOpened(peer(1), Direction.INBOUND, "10.0.0.1:1", why -> {});
      cm.connectionOpened(
          peer(2),
          Direction.INBOUND,
          "10.0.0.2:1",
          why -> {
            try {
              cm.connectionOpened(peer(1), Direction.INBOUND, "10.0.0.1:2", again -> {});
              reconnect.set("admitted");
            } catch (ConnectionRefusedException e) {
              reconnect.set(e.limit());
            }
          });
      cm.tagPeer(peer(2), "keep", 10); // closed after peer 1

      assertThat(cm.trim().evicted()).extracting(r -> r.peer()).containsExactly(peer(1), peer(2));

      assertThat(reconnect.get()).isEqualTo(AdmissionLimit.RECENTLY_EVICTED);
    }
  }

  /**
   * A round of 2 000 closes leaves each eviction on its departed peer's entry, to be recorded in
   * the eviction memory as it tidies up after its caller has the report; two threads asking the
   * memory about every evicted peer, in random order, right as the caller gets the report race that
   * tidying: none of them ever finds a peer forgotten, each peer is remembered once, and the count
   * of remembered peers, asked right as the caller gets the report, is every eviction, whoever
   * recorded them.
   */
  @Test
  void everyEvictionOfARoundIsRememberedOnceWhoeverRecordsIt() throws Exception {
    int n = 2_000;
    for (int attempt = 0; attempt < 5; attempt++) {
      try (ConnectionManager cm =
          ConnectionManager.builder()
              .lowWater(1)
              .highWater(2)
              .gracePeriod(Duration.ZERO)
              .evictionMemorySize(4 * n)
              .build()) {
        cm.connectionOpened(peer(0), Direction.OUTBOUND, "10.0.0.0:1", why -> {});
        cm.tagPeer(peer(0), "keep", 1_000);
        for (int i = 1; i < n; i++) {
          cm.connectionOpened(peer(i), Direction.INBOUND, "10.0.1.0:" + i, why -> {});
        }
        CyclicBarrier start = new CyclicBarrier(3);
        List<Thread> readers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int r = 0; r < 2; r++) {
          long seed = 31L * attempt + r;
          Thread reader =
              new Thread(
                  () -> {
                    try {
                      start.await();
                      List<Integer> order = new ArrayList<>();
                      for (int i = 1; i < n; i++) {
                        order.add(i);
                      }
                      Collections.shuffle(order, new Random(seed));
                      for (int i : order) {
                        assertThat(cm.inspect().recentEviction(peer(i)))
                            .as("peer %d, evicted by the round", i)
                            .hasValueSatisfying(e -> assertThat(e.timesEvicted()).isEqualTo(1));
                      }
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                    }
                  });
          reader.start();
          readers.add(reader);
        }

        assertThat(cm.trim().evicted()).hasSize(n - 1);
        if (attempt % 2 == 1) {
          // the count first, racing the tidying alone (the readers then find everything recorded)
          assertThat(cm.inspect().recentlyEvictedPeers()).isEqualTo(n - 1);
        }
        start.await();
        for (Thread reader : readers) {
          reader.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(cm.inspect().recentlyEvictedPeers()).isEqualTo(n - 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> cm.peerCount() == 1);
        assertThat(cm.inspect().recentlyEvictedPeers()).isEqualTo(n - 1);
      }
    }
  }

  /** The round's tidying up runs after its steps end, and after a call given up on returns. */
  @Test
  void whatARunDoesAfterwardsRunsWhicheverWayItEnded() throws Exception {
    try (SlotFixture f = new SlotFixture()) {
      CountDownLatch ran = new CountDownLatch(1);
      CallWatch done = CallWatch.start(f.supervisor, "steps", w -> w.afterwards(ran::countDown));
      assertThat(done.await(TimeUnit.SECONDS.toNanos(10))).isNull();
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch tidied = new CountDownLatch(1);
      CallWatch hung =
          CallWatch.start(
              f.supervisor,
              "steps",
              w -> {
                w.afterwards(tidied::countDown);
                long call = w.calling("the closer of connection ", 1);
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  w.returned(call, null);
                }
              });
      assertThat(hung.await(TimeUnit.MILLISECONDS.toNanos(50))).isNotNull();
      assertThat(tidied.getCount()).as("not while the call is under way").isEqualTo(1);
      release.countDown();
      assertThat(tidied.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
