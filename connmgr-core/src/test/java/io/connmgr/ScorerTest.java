package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.ScorerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScorerTest {

  @Test
  void scoreIsTagValuePlusWeightedScorers() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(1)
                .highWater(1)
                .scorerBudget(Duration.ofSeconds(5))
                .scorerWeight("latency", 2.0))) {
      h.open("a");
      h.open("b");
      h.cm.tagPeer(PeerId.of("a"), "kad", 5);
      h.cm.tagPeer(PeerId.of("b"), "kad", 5);
      h.cm.registerPeerScorer("latency", p -> p.id().value().equals("a") ? 10 : 1);
      h.cm.registerConnectionScorer("relay", c -> 3);
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("b");
      EvictionRecord record = report.evicted().get(0);
      assertThat(record.score()).isEqualTo(5 + 2.0 * 1 + 3);
      assertThat(record.breakdown())
          .containsExactly(
              Map.entry("tag:kad", 5.0),
              Map.entry("scorer:latency", 2.0),
              Map.entry("scorer:relay", 3.0));
    }
  }

  @Test
  void streamScorersRateEachOpenStreamOfTheirProtocolOnce() {
    try (Harness h = new Harness(1, 1)) {
      ManagedConnection busy = h.open("busy");
      ManagedConnection idle = h.open("idle");
      busy.openStream("/ipfs/bitswap/1.2.0", Direction.INBOUND);
      busy.openStream("/ipfs/bitswap/1.2.0", Direction.OUTBOUND);
      busy.openStream("/other", Direction.OUTBOUND);
      idle.openStream("/other", Direction.OUTBOUND);
      List<String> rated = new ArrayList<>();
      h.cm.registerStreamScorer(
          "bitswap",
          StreamScorer.of(
              "/ipfs/bitswap/1.2.0",
              s -> {
                rated.add(s.protocol() + "#" + s.id());
                return 100;
              }));
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(rated).hasSize(2).doesNotHaveDuplicates();
      assertThat(h.closedPeers()).containsExactly("idle");
      assertThat(h.cm.inspect().assess().connections())
          .singleElement()
          .satisfies(s -> assertThat(s.score()).isEqualTo(200.0));
      assertThat(report.evicted().get(0).breakdown()).containsEntry("scorer:bitswap", 0.0);
    }
  }

  @Test
  void eachSubjectIsScoredAtMostOncePerRound() {
    try (Harness h = new Harness(2, 2)) {
      for (int i = 0; i < 5; i++) {
        h.open("multi");
      }
      h.open("single");
      Map<String, AtomicInteger> peerCalls = new ConcurrentHashMap<>();
      Map<Long, AtomicInteger> connectionCalls = new ConcurrentHashMap<>();
      h.cm.registerPeerScorer(
          "p",
          p -> {
            peerCalls.computeIfAbsent(p.id().value(), k -> new AtomicInteger()).incrementAndGet();
            return 1;
          });
      h.cm.registerConnectionScorer(
          "c",
          c -> {
            connectionCalls.computeIfAbsent(c.id(), k -> new AtomicInteger()).incrementAndGet();
            return 1;
          });
      h.pastGrace();

      h.cm.trim();

      assertThat(peerCalls).hasSize(2);
      assertThat(peerCalls.values()).allSatisfy(n -> assertThat(n).hasValue(1));
      assertThat(connectionCalls).hasSize(6);
      assertThat(connectionCalls.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    }
  }

  @Test
  void scorersAreNotCalledOutsideARoundOrAssessment() {
    try (Harness h = new Harness(5, 10)) {
      AtomicInteger calls = new AtomicInteger();
      h.cm.registerConnectionScorer("c", c -> calls.incrementAndGet());
      for (int i = 0; i < 20; i++) {
        h.open("p" + i).openStream("x", Direction.INBOUND);
      }
      h.cm.tagPeer(PeerId.of("p1"), "t", 1);
      h.cm.inspect().snapshot();
      h.cm.stats();
      assertThat(calls).hasValue(0);
    }
  }

  @Test
  void outOfRangeScoresAreClampedAndCounted() {
    try (Harness h = new Harness(1, 1)) {
      h.open("high");
      h.open("low");
      h.cm.registerPeerScorer("wild", p -> p.id().value().equals("high") ? 5000 : -7);
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("low");
      assertThat(report.evicted().get(0).score()).isZero();
      assertThat(h.cm.inspect().assess().connections().get(0).score()).isEqualTo(Score.MAX);
      assertThat(h.cm.inspect().scorers())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.clamped()).isEqualTo(3);
                assertThat(s.errors()).isZero();
                assertThat(s.timeouts()).isZero();
              });
    }
  }

  @Test
  void keepSparesTheConnectionThisRound() {
    try (Harness h = new Harness(1, 1)) {
      h.open("kept");
      h.open("other");
      h.cm.registerPeerScorer(
          "keeper", p -> p.id().value().equals("kept") ? Score.KEEP : Score.MAX);
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("other");
      assertThat(report.skipped().get(SkipReason.KEPT_BY_SCORER)).isEqualTo(1);
      assertThat(h.cm.inspect().assess().connections().get(0).heldBack())
          .isEqualTo(SkipReason.KEPT_BY_SCORER);
    }
  }

  @Test
  void aThrowingScorerGivesNoAnswerAndItsConnectionGoesAfterEveryKnownScore() {
    try (Harness h = new Harness(1, 1)) {
      h.open("a");
      h.open("b");
      h.cm.tagPeer(PeerId.of("a"), "t", 10);
      h.cm.tagPeer(PeerId.of("b"), "t", 5);
      h.cm.registerPeerScorer(
          "broken-for-a",
          p -> {
            if (p.id().value().equals("a")) {
              throw new IllegalStateException("boom");
            }
            return 100;
          });
      h.pastGrace();

      TrimReport report = h.cm.trim();

      // read as 0, a (10 + 0) would go before b (5 + 100); without an answer it goes after
      assertThat(h.closedPeers()).containsExactly("b");
      assertThat(report.evicted().get(0).breakdown()).containsEntry("scorer:broken-for-a", 100.0);
      ScorerInfo info = h.cm.inspect().scorers().get(0);
      assertThat(info.errors()).isEqualTo(1);
      assertThat(info.calls()).isEqualTo(2);
    }
  }

  @Test
  void assessmentsCountTheirCallsApartFromRounds() {
    try (Harness h = new Harness(1, 1)) {
      h.open("a");
      h.open("b");
      h.open("c");
      h.cm.registerPeerScorer("flat", p -> 10);
      h.pastGrace();

      h.cm.inspect().assess();
      h.cm.inspect().assess();
      ScorerInfo viewsOnly = h.cm.inspect().scorers().get(0);
      assertThat(viewsOnly.calls()).isZero();
      assertThat(viewsOnly.totalTime()).isZero();
      assertThat(viewsOnly.assessCalls()).isEqualTo(6);
      assertThat(viewsOnly.assessMeanTime()).isEqualTo(viewsOnly.assessTime().dividedBy(6));

      h.cm.trim();
      ScorerInfo after = h.cm.inspect().scorers().get(0);
      assertThat(after.calls()).isEqualTo(3);
      assertThat(after.assessCalls()).isEqualTo(6);
      assertThat(after.meanTime()).isEqualTo(after.totalTime().dividedBy(3));
    }
  }

  @Test
  void aHangingScorerIsNotWaitedForAndTheRoundFinishesWithinAFewBudgets() throws Exception {
    Duration budget = Duration.ofMillis(200);
    CountDownLatch release = new CountDownLatch(1);
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(2).highWater(2).scorerBudget(budget))) {
      for (int i = 0; i < 6; i++) {
        h.open("p" + i);
        h.cm.tagPeer(PeerId.of("p" + i), "v", i);
      }
      h.cm.registerPeerScorer(
          "hangs-on-p4",
          p -> {
            if (p.id().value().equals("p4")) {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return 0;
          });
      h.pastGrace();

      long started = System.nanoTime();
      TrimReport report = h.cm.trim();
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(tookMillis).isLessThan(budget.toMillis() * 10);
      assertThat(h.closedPeers()).containsExactlyInAnyOrder("p0", "p1", "p2", "p3");
      assertThat(report.evicted()).hasSize(4);
      assertThat(report.unanswered()).containsExactly("hangs-on-p4");
      ScorerInfo info = h.cm.inspect().scorers().get(0);
      assertThat(info.timeouts()).isEqualTo(1);
      // p0..p3 answered, p4 hung; p5 is not asked while the scorer hangs
      assertThat(info.calls()).isEqualTo(5);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aSlowScorerPastItsBudgetMovesItsConnectionBehindEveryKnownScore() {
    // the slow call outlasts the budget by construction (it hangs until the round is over), and
    // the budget is wide enough for the fast call on a loaded machine
    Hangs roundOver = new Hangs();
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(1)
                .highWater(1)
                .scorerBudget(Duration.ofSeconds(1)))) {
      // rounds score in the order connections opened: "fast" answers before "slow" hangs (after
      // which the hung scorer is not called again in the round)
      h.open("fast");
      h.open("slow");
      h.cm.tagPeer(PeerId.of("fast"), "t", 10);
      h.cm.registerPeerScorer(
          "s",
          p -> {
            if (p.id().value().equals("slow")) {
              roundOver.hang();
            }
            return 900;
          });
      h.pastGrace();

      h.cm.trim();

      // read as 0 it would go first; without an answer it goes after the one whose score is known
      assertThat(h.closedPeers()).containsExactly("fast");
      assertThat(h.cm.inspect().scorers().get(0).timeouts()).isEqualTo(1);
    } finally {
      roundOver.letGo();
    }
  }

  @Test
  void unregisteredScorersAreNoLongerCalled() {
    try (Harness h = new Harness(1, 1)) {
      h.open("a");
      h.open("b");
      AtomicInteger calls = new AtomicInteger();
      Registration r = h.cm.registerConnectionScorer("c", c -> calls.incrementAndGet());
      r.close();
      r.close();
      h.pastGrace();
      h.cm.trim();
      assertThat(calls).hasValue(0);
      assertThat(h.cm.inspect().scorers()).isEmpty();
    }
  }

  @Test
  void duplicateScorerNamesAreRefused() {
    try (Harness h = new Harness(1, 1)) {
      h.cm.registerPeerScorer("x", p -> 0);
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> h.cm.registerConnectionScorer("x", c -> 0))
          .withMessageContaining("'x'");
    }
  }
}
