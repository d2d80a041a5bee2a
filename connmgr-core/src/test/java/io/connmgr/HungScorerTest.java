package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.ConnectionScore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A scorer that hangs costs a pass one budget and the manager one thread, however many connections
 * and passes follow; it is not called again until its hung call returns; and a late or failing
 * scorer never makes a connection more likely to be closed than its last answer did.
 */
class HungScorerTest {

  /** Callback threads the manager may run at most (documented in docs/core.md). */
  private static final int CALLBACK_THREADS = 8;

  private static final Duration BUDGET = Duration.ofMillis(100);

  private final Hangs hangs = new Hangs();

  @AfterEach
  void letGo() {
    hangs.letGo();
  }

  static long callbackThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().matches("connmgr-\\d+-callback-\\d+"))
        .count();
  }

  @Test
  void aHungScorerCostsOneBudgetAndOneThreadAcross400ConnectionsAndTwentyPasses() {
    long before = callbackThreads();
    AtomicInteger calls = new AtomicInteger();
    try (Harness h =
        new Harness(
            ConnectionManager.builder().lowWater(390).highWater(390).scorerBudget(BUDGET))) {
      for (int i = 0; i < 400; i++) {
        h.open("p" + i);
      }
      h.cm.registerConnectionScorer(
          "hangs",
          c -> {
            calls.incrementAndGet();
            hangs.hang();
            return 0;
          });
      // every round has the same work to do: a veto keeps all
      h.cm.registerVeto("keep-all", (c, round) -> Verdict.veto("test"));
      h.pastGrace();

      long first = Hangs.millis(h.cm.inspect()::assess);
      long others = 0;
      for (int i = 0; i < 9; i++) {
        others += Hangs.millis(h.cm.inspect()::assess);
      }
      for (int i = 0; i < 10; i++) {
        TrimReport report = h.cm.trim();
        assertThat(report.unanswered()).containsExactly("hangs");
      }

      assertThat(calls).as("called once, never again while that call hangs").hasValue(1);
      // one budget for the first pass, none for the others; margins from the property (a few
      // budgets), not from a quiet machine
      assertThat(first).isGreaterThanOrEqualTo(BUDGET.toMillis());
      assertThat(others).isLessThan(BUDGET.toMillis() * 9);
      assertThat(callbackThreads() - before).isLessThanOrEqualTo(CALLBACK_THREADS);
      assertThat(h.cm.inspect().scorers())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.timeouts()).isEqualTo(1);
                assertThat(s.assessCalls()).isEqualTo(1);
              });

      // once the hung call returns, the scorer is asked again
      hangs.letGo();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                h.cm.inspect().assess();
                return calls.get() > 1;
              });
    }
  }

  @Test
  void connectionsStillCloseInOrderWhileAScorerHangs() {
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(2).highWater(2).scorerBudget(BUDGET))) {
      for (int i = 0; i < 6; i++) {
        h.open("p" + i);
        h.cm.tagPeer(PeerId.of("p" + i), "rank", i);
      }
      h.cm.registerPeerScorer(
          "hangs",
          p -> {
            hangs.hang();
            return 0;
          });
      h.pastGrace();

      TrimReport report = h.cm.trim();

      // nobody has a score from it: the tags decide, as if it were not there
      assertThat(h.closedPeers()).containsExactly("p0", "p1", "p2", "p3");
      assertThat(report.summary()).contains("no answer in time from scorer hangs");
    }
  }

  @Test
  void aLateKeepStaysAKeep() {
    AtomicBoolean slow = new AtomicBoolean();
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(1).highWater(1).scorerBudget(BUDGET))) {
      h.open("kept");
      h.open("other");
      h.cm.tagPeer(PeerId.of("other"), "t", 50);
      h.cm.registerPeerScorer(
          "keeper",
          p -> {
            if (!p.id().value().equals("kept")) {
              return 0;
            }
            if (slow.get()) {
              hangs.hang();
            }
            return Score.KEEP;
          });
      h.pastGrace();
      assertThat(
              scoreOf(h.cm.inspect().assess(), h.cm.inspect().snapshot().connections().get(0).id()))
          .isPresent();

      slow.set(true); // from now on its answer for "kept" comes too late

      TrimReport report = h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("other");
      assertThat(report.skipped().get(SkipReason.KEPT_BY_SCORER)).isEqualTo(1);
    }
  }

  @Test
  void aFailingScorerAfterAKeepStillKeeps() {
    AtomicBoolean failing = new AtomicBoolean();
    try (Harness h = new Harness(1, 1)) {
      h.open("kept");
      h.open("other");
      h.cm.tagPeer(PeerId.of("other"), "t", 50);
      h.cm.registerPeerScorer(
          "keeper",
          p -> {
            if (p.id().value().equals("kept")) {
              if (failing.get()) {
                throw new IllegalStateException("scorer bug");
              }
              return Score.KEEP;
            }
            return 0;
          });
      h.pastGrace();
      h.cm.inspect().assess();
      failing.set(true);

      h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("other");
    }
  }

  @Test
  void assessReportsKeepAsHeldBackNeverAsAScoreOfMinInt() {
    try (Harness h = new Harness(1, 1)) {
      ManagedConnection kept = h.open("kept");
      h.cm.tagPeer(PeerId.of("kept"), "t", 7);
      h.cm.registerConnectionScorer("keeper", c -> Score.KEEP);
      h.pastGrace();

      ConnectionScore score = scoreOf(h.cm.inspect().assess(), kept.id()).orElseThrow();

      assertThat(score.heldBack()).isEqualTo(SkipReason.KEPT_BY_SCORER);
      assertThat(score.score()).isEqualTo(7.0);
      assertThat(score.breakdown().values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1000.0));
    }
  }

  private static java.util.Optional<ConnectionScore> scoreOf(
      io.connmgr.inspect.Assessment assessment, long connectionId) {
    return assessment.connections().stream()
        .filter(s -> s.connectionId() == connectionId)
        .findFirst();
  }
}
