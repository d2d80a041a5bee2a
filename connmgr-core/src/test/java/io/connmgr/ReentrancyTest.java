package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.Assessment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The one rule for calls back in: from any callback (scorer, veto, lease listener, closer,
 * listener), trim(), maintain(), assess() and emergencyTrim() throw IllegalStateException naming
 * the callback. Never a stack overflow, never a cascade of threads.
 */
class ReentrancyTest {

  private final List<Throwable> refused = new CopyOnWriteArrayList<>();

  private void callBack(ConnectionManager cm, Runnable call) {
    try {
      call.run();
    } catch (IllegalStateException e) {
      refused.add(e);
    }
  }

  @Test
  void aListenerWhoseOnRoundCallsTrimIsRefusedAndUpkeepGoesOn() {
    try (Harness h = new Harness(1, 1)) {
      AtomicInteger rounds = new AtomicInteger();
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRound(TrimReport report) {
              rounds.incrementAndGet();
              callBack(h.cm, h.cm::trim);
            }
          });
      h.open("a");
      h.open("b");
      h.pastGrace();

      h.cm.trim();
      eventually(() -> assertThat(refused).hasSize(1));
      h.open("c");
      h.pastGrace();
      h.cm.trim();

      eventually(() -> assertThat(rounds).hasValue(2));
      assertThat(refused)
          .hasSize(2)
          .allSatisfy(
              e ->
                  assertThat(e)
                      .hasMessageContaining("trim() must not be called from a callback")
                      .hasMessageContaining("the listener "));
    }
  }

  @Test
  void aScorerThatCallsAssessIsRefusedAndCountedAsAFailure() {
    long threadsBefore = HungScorerTest.callbackThreads();
    try (Harness h = new Harness(1, 1)) {
      for (int i = 0; i < 50; i++) {
        h.open("p" + i);
      }
      h.cm.registerConnectionScorer(
          "nosy",
          c -> {
            h.cm.inspect().assess();
            return 1;
          });
      h.pastGrace();

      Assessment view = h.cm.inspect().assess();

      assertThat(view.connections()).hasSize(50);
      assertThat(h.cm.inspect().scorers())
          .singleElement()
          .satisfies(s -> assertThat(s.errors()).isEqualTo(50));
      assertThat(HungScorerTest.callbackThreads() - threadsBefore).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void everyCallbackGetsTheSameAnswerNamingItself() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(1)
                .highWater(1)
                .scorerBudget(Duration.ofSeconds(5)))) {
      h.cm.registerPeerScorer(
          "scorer",
          p -> {
            callBack(h.cm, h.cm::maintain);
            return 1;
          });
      h.cm.registerVeto(
          "veto",
          (c, round) -> {
            callBack(h.cm, h.cm::emergencyTrim);
            return Verdict.allow();
          });
      ManagedConnection leased =
          h.cm.connectionOpened(
              PeerId.of("leased"),
              Direction.INBOUND,
              "x",
              why -> callBack(h.cm, h.cm.inspect()::assess));
      leased.lease(
          Duration.ofSeconds(1),
          lease -> {
            callBack(h.cm, h.cm::trim);
            return LeaseDecision.release();
          });
      h.open("other");
      h.cm.tagPeer(PeerId.of("other"), "t", 100);
      h.pastGrace();

      h.cm.trim();

      assertThat(refused)
          .extracting(Throwable::getMessage)
          .anySatisfy(m -> assertThat(m).startsWith("maintain()").contains("the scorer 'scorer'"));
      assertThat(refused)
          .extracting(Throwable::getMessage)
          .anySatisfy(m -> assertThat(m).startsWith("emergencyTrim()").contains("the veto 'veto'"));
      assertThat(refused)
          .extracting(Throwable::getMessage)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith("trim()")
                      .contains("the lease listener of connection " + leased.id()));
      assertThat(refused)
          .extracting(Throwable::getMessage)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith("assess()")
                      .contains("the closer of connection " + leased.id()));
      assertThat(leased.isOpen()).isFalse();
    }
  }
}
