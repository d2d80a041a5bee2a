package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A round hands its work to one callback thread, once: scoring, planning (leases and vetoes),
 * closing and its listeners' scores all run there, the callbacks inline, while the caller of {@code
 * trim()} waits. A callback that overruns its budget on that thread costs the round about one
 * budget: a scorer is given up on and the round goes on from the next call on a fresh thread; a
 * veto, lease listener or closer ends the round. Whatever hangs, the count never goes below low
 * water and the manager never runs more than 8 callback threads.
 */
class OneRoundThreadTest {

  /** Long enough that a cold, healthy callback on a loaded machine never overruns it. */
  private static final Duration BUDGET = Duration.ofSeconds(1);

  private static final int CALLBACK_THREADS = 8;

  private final Hangs hangs = new Hangs();

  @AfterEach
  void letGo() {
    hangs.letGo();
  }

  private static Harness harness(int low) {
    return new Harness(
        ConnectionManager.builder()
            .lowWater(low)
            .highWater(low)
            .scorerBudget(BUDGET)
            .callbackBudget(BUDGET));
  }

  /** Opens p0..p(n-1), tagged with their index, so they close in that order. */
  private static void openRanked(Harness h, int n) {
    for (int i = 0; i < n; i++) {
      h.open("p" + i);
      h.cm.tagPeer(PeerId.of("p" + i), "rank", i);
    }
    h.pastGrace();
  }

  @Test
  void aRoundRunsItsScorersVetoesAndClosersOnOneCallbackThreadNotTheCallers() {
    Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(2)
                .highWater(2)
                .scorerBudget(BUDGET)
                .callbackBudget(BUDGET))) {
      for (int i = 0; i < 6; i++) {
        String peer = "p" + i;
        h.cm.connectionOpened(
            PeerId.of(peer),
            Direction.INBOUND,
            "a",
            why -> {
              ranOn.add(Thread.currentThread());
              h.closed.add(why);
            });
        h.cm.tagPeer(PeerId.of(peer), "rank", i);
      }
      h.cm.registerPeerScorer(
          "peer",
          p -> {
            ranOn.add(Thread.currentThread());
            return 1;
          });
      h.cm.registerConnectionScorer(
          "connection",
          c -> {
            ranOn.add(Thread.currentThread());
            return 1;
          });
      h.cm.registerVeto(
          "allow",
          (c, round) -> {
            ranOn.add(Thread.currentThread());
            return Verdict.allow();
          });
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(report.evicted()).hasSize(4);
      assertThat(ranOn)
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t).isNotSameAs(Thread.currentThread());
                assertThat(t.getName()).matches("connmgr-\\d+-callback-\\d+");
              });
    }
  }

  @Test
  void aScorerThatBehavesThenHangsMidRoundCostsOneBudgetAndTheRoundStillReachesLowWater() {
    AtomicInteger calls = new AtomicInteger();
    Set<Thread> closedOn = ConcurrentHashMap.newKeySet();
    Set<Thread> hungOn = ConcurrentHashMap.newKeySet();
    long threadsBefore = HungScorerTest.callbackThreads();
    try (Harness h = harness(10)) {
      for (int i = 0; i < 50; i++) {
        h.cm.connectionOpened(
            PeerId.of("p" + i),
            Direction.INBOUND,
            "a",
            why -> {
              closedOn.add(Thread.currentThread());
              h.closed.add(why);
            });
        h.cm.tagPeer(PeerId.of("p" + i), "rank", i);
      }
      h.pastGrace();
      h.cm.registerConnectionScorer(
          "flaky",
          c -> {
            if (calls.incrementAndGet() == 21) {
              hungOn.add(Thread.currentThread());
              hangs.hang();
            }
            return 0;
          });
      TrimReport[] report = new TrimReport[1];

      long took = Hangs.millis(() -> report[0] = h.cm.trim());

      assertThat(took)
          .as("one budget, then the round goes on")
          .isGreaterThanOrEqualTo(BUDGET.toMillis())
          .isLessThan(BUDGET.toMillis() * 10);
      assertThat(report[0].stalledOn()).isNull();
      assertThat(report[0].unanswered()).containsExactly("flaky");
      assertThat(report[0].evicted()).hasSize(40);
      assertThat(h.cm.connectionCount()).isEqualTo(10);
      assertThat(calls).as("not called again while its call hangs").hasValue(21);
      // the rest of the round ran on a fresh thread, the hung one still held by the scorer
      assertThat(hungOn).hasSize(1);
      assertThat(closedOn).hasSize(1).doesNotContainAnyElementsOf(hungOn);
      assertThat(HungScorerTest.callbackThreads() - threadsBefore)
          .isLessThanOrEqualTo(CALLBACK_THREADS);
    }
  }

  @Test
  void aScorerThatHangsOnItsVeryFirstCallCostsOneBudgetAndTheTagsDecide() {
    try (Harness h = harness(2)) {
      openRanked(h, 6);
      h.cm.registerPeerScorer(
          "hangs",
          p -> {
            hangs.hang();
            return 0;
          });
      TrimReport[] report = new TrimReport[1];

      long took = Hangs.millis(() -> report[0] = h.cm.trim());

      assertThat(took).isGreaterThanOrEqualTo(BUDGET.toMillis()).isLessThan(BUDGET.toMillis() * 10);
      assertThat(report[0].unanswered()).containsExactly("hangs");
      assertThat(h.closedPeers()).containsExactly("p0", "p1", "p2", "p3");

      // the next round does not wait for it at all
      h.open("late");
      h.pastGrace();
      assertThat(Hangs.millis(h.cm::trim)).isLessThan(BUDGET.toMillis());
    }
  }

  @Test
  void aCloserThatBehavesThenHangsMidRoundEndsTheRoundWithinABudgetAndNeverBelowLowWater() {
    AtomicInteger closes = new AtomicInteger();
    List<Integer> countAtEachClose = new CopyOnWriteArrayList<>();
    try (Harness h = harness(5)) {
      ConnectionManager cm = h.cm;
      for (int i = 0; i < 20; i++) {
        cm.connectionOpened(
            PeerId.of("p" + i),
            Direction.INBOUND,
            "a",
            why -> {
              countAtEachClose.add(cm.connectionCount());
              if (closes.incrementAndGet() == 4) {
                hangs.hang();
              }
              h.closed.add(why);
            });
        cm.tagPeer(PeerId.of("p" + i), "rank", i);
      }
      h.pastGrace();
      TrimReport[] report = new TrimReport[1];

      long took = Hangs.millis(() -> report[0] = cm.trim());

      assertThat(took).isLessThan(BUDGET.toMillis() * 10);
      assertThat(report[0].stalledOn()).startsWith("the closer of connection");
      assertThat(report[0].evicted()).hasSize(3);
      assertThat(report[0].shortfall().get(Shortfall.STALLED)).isEqualTo(12);

      // later rounds count the stuck close as done and leave low water's five, even once it lands
      TrimReport next = cm.trim();
      assertThat(next.stalledOn()).isNull();
      assertThat(cm.connectionCount()).isEqualTo(6);
      hangs.letGo();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cm.connectionCount() == 5);
      assertThat(cm.trim().evicted()).isEmpty();
      assertThat(cm.connectionCount()).isEqualTo(5);
      // each closer saw its own connection still counted, and never fewer than low water + 1
      assertThat(countAtEachClose).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(6));
    }
  }

  @Test
  void aCloserThatCallsBackIntoTheManagerIsRefusedByNameForRoundsAndServedOtherwise() {
    List<Throwable> refused = new CopyOnWriteArrayList<>();
    try (Harness h = harness(2)) {
      ConnectionManager cm = h.cm;
      for (int i = 0; i < 6; i++) {
        String peer = "p" + i;
        cm.connectionOpened(
            PeerId.of(peer),
            Direction.INBOUND,
            "a",
            why -> {
              try {
                cm.trim();
              } catch (IllegalStateException e) {
                refused.add(e);
              }
              if (peer.equals("p0")) {
                cm.protect(PeerId.of("p1"), "saved-by-p0");
                cm.tagPeer(PeerId.of("p9"), "seen", 1);
              }
              h.closed.add(why);
            });
        cm.tagPeer(PeerId.of(peer), "rank", i);
      }
      h.pastGrace();

      TrimReport report = cm.trim();

      assertThat(refused)
          .hasSize(3)
          .allSatisfy(
              e ->
                  assertThat(e)
                      .hasMessageContaining("trim() must not be called from a callback")
                      .hasMessageContaining("the closer of connection "));
      // protecting from inside a closer holds a planned connection back, as from anywhere
      assertThat(h.closedPeers()).containsExactly("p0", "p2", "p3");
      assertThat(report.shortfall().get(Shortfall.HELD_BACK_SINCE_PLANNED)).isEqualTo(1);
      assertThat(cm.inspect().tagInfo(PeerId.of("p9"))).isPresent();
    }
  }

  @Test
  void manyHangsNeverTakeMoreThanEightCallbackThreadsNorTheCountBelowLowWater() {
    long threadsBefore = HungScorerTest.callbackThreads();
    Duration budget = Duration.ofMillis(200);
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(20)
                .highWater(20)
                .scorerBudget(budget)
                .callbackBudget(budget))) {
      openRanked(h, 60);
      for (int round = 0; round < 12; round++) {
        // a new scorer each round, hanging at its first call: each holds a thread for good
        h.cm.registerConnectionScorer(
            "hangs-" + round,
            c -> {
              hangs.hang();
              return 0;
            });
        for (int k = 0; k < 3; k++) {
          h.open("r" + round + "-" + k);
        }
        h.pastGrace();
        TrimReport[] report = new TrimReport[1];

        long took = Hangs.millis(() -> report[0] = h.cm.trim());

        assertThat(took).as("round %d", round).isLessThan(budget.toMillis() * 20);
        assertThat(h.cm.connectionCount()).as("round %d", round).isGreaterThanOrEqualTo(20);
        assertThat(HungScorerTest.callbackThreads() - threadsBefore)
            .as("round %d", round)
            .isLessThanOrEqualTo(CALLBACK_THREADS);
      }
      // the threads are all held: rounds say so rather than wait
      TrimReport last = h.cm.trim();
      assertThat(last.stalledOn()).isNotNull();
      assertThat(last.stalledOn()).contains("a free callback thread");
      assertThat(last.unanswered()).as("no scorer could answer").hasSize(12);
      assertThat(last.evicted()).isEmpty();
    }
  }

  @Test
  void aRoundHandsItsListenersEveryEventInOrderThenItsScoresThenItself() {
    List<String> heard = new CopyOnWriteArrayList<>();
    CountDownLatch roundHeard = new CountDownLatch(1);
    try (Harness h = harness(100)) {
      openRanked(h, 1500);
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onEviction(EvictionRecord record) {
              heard.add("evicted " + record.peer().value());
            }

            @Override
            public void onConnectionClosed(ConnectionView connection) {
              heard.add("closed " + connection.peer().value());
            }

            @Override
            public void onRoundScores(RoundScores scores) {
              heard.add("scores");
            }

            @Override
            public void onRound(TrimReport report) {
              heard.add("round");
              roundHeard.countDown();
            }
          });

      TrimReport report = h.cm.trim();

      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> roundHeard.getCount() == 0);
      // 1400 closes: 2800 events, more than one chunk of 1024, each close's two in its order
      assertThat(report.evicted()).hasSize(1400);
      assertThat(heard).hasSize(2802);
      for (int i = 0; i < 1400; i++) {
        assertThat(heard.subList(2 * i, 2 * i + 2))
            .as("close %d", i)
            .containsExactlyInAnyOrder("closed p" + i, "evicted p" + i);
      }
      assertThat(heard.subList(2800, 2802)).containsExactly("scores", "round");
    }
  }
}
