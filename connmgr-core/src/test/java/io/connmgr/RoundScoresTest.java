package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What {@link ConnectionManagerListener#onRoundScores} hands out, checked against the round. */
class RoundScoresTest {

  /** Records every round's scores; listeners hear them on a callback thread, so take waits. */
  static final class ScoresSeen implements ConnectionManagerListener {
    private final BlockingQueue<RoundScores> rounds = new LinkedBlockingQueue<>();

    @Override
    public void onRoundScores(RoundScores scores) {
      rounds.add(scores);
    }

    /** The next round's scores, waiting for them as long as a loaded machine may take. */
    RoundScores next() {
      try {
        RoundScores scores = rounds.poll(30, TimeUnit.SECONDS);
        assertThat(scores).as("a round's scores").isNotNull();
        return scores;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void eachConsideredConnectionComesWithItsFinalScoreOutcomeAndAnswers() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(4)
                .highWater(4)
                .scorerWeight("latency", 2.0)
                .scorerBudget(Duration.ofSeconds(30)))) {
      ScoresSeen seen = new ScoresSeen();
      h.cm.addListener(seen);
      for (String peer : List.of("a", "b", "c", "d", "e")) {
        h.open(peer);
      }
      h.cm.protect(PeerId.of("e"), "relay"); // not considered
      h.cm.tagPeer(PeerId.of("a"), "kad", 7);
      Map<String, Integer> latency = Map.of("a", 10, "b", 1, "c", 50, "d", 5);
      h.cm.registerPeerScorer("latency", p -> latency.get(p.id().value()));
      h.cm.registerConnectionScorer("relay", c -> c.peer().value().equals("d") ? Score.KEEP : 3);
      h.pastGrace();

      TrimReport report = h.cm.trim();

      RoundScores scores = seen.next();
      assertThat(scores.trigger()).isEqualTo(Trigger.MANUAL);
      assertThat(scores.considered()).isEqualTo(4);
      assertThat(scores.scorers()).containsExactly("latency", "relay");
      // the final scores: tag + 2 x latency + relay; d is kept by its scorer
      Map<Double, Boolean> closedByScore = new HashMap<>();
      List<Integer> latencyAnswers = new ArrayList<>();
      for (int i = 0; i < scores.considered(); i++) {
        closedByScore.put(scores.score(i), scores.closed(i));
        latencyAnswers.add(scores.answer(0, i));
      }
      assertThat(closedByScore)
          .containsOnly(
              Map.entry(7 + 2.0 * 10 + 3, false), // a: kept (one close reaches low water)
              Map.entry(2.0 * 1 + 3, true), // b: lowest, closed
              Map.entry(2.0 * 50 + 3, false), // c: kept
              Map.entry(Double.POSITIVE_INFINITY, false)); // d: Score.KEEP
      assertThat(latencyAnswers).containsExactlyInAnyOrder(10, 1, 50, 5);
      assertThat(report.evicted())
          .singleElement()
          .satisfies(r -> assertThat(r.peer().value()).isEqualTo("b"));
      int closed = 0;
      for (int i = 0; i < scores.considered(); i++) {
        closed += scores.closed(i) ? 1 : 0;
        if (scores.score(i) == Double.POSITIVE_INFINITY) {
          assertThat(scores.answer(1, i)).isEqualTo(Score.KEEP);
        }
      }
      assertThat(closed).isEqualTo(report.evicted().size());
    }
  }

  /** Trims a round of peers a and b at watermarks 1/1 after {@code setUp}; its scores. */
  private static RoundScores roundOfTwo(Consumer<ConnectionManager> setUp) {
    try (Harness h = new Harness(1, 1)) {
      ScoresSeen seen = new ScoresSeen();
      h.cm.addListener(seen);
      h.open("a");
      h.open("b");
      setUp.accept(h.cm);
      h.pastGrace();
      h.cm.trim();
      return seen.next();
    }
  }

  @Test
  void indicesOutsideTheRoundAreRefused() {
    RoundScores scores = roundOfTwo(cm -> cm.registerConnectionScorer("relay", c -> 3));
    assertThat(scores.considered()).isEqualTo(2);
    assertThatThrownBy(() -> scores.score(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> scores.closed(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> scores.answer(1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> scores.answer(0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aRoundWithoutScorersHandsOutTagValuesAndNoAnswers() {
    RoundScores scores = roundOfTwo(cm -> cm.tagPeer(PeerId.of("a"), "kad", 4));
    assertThat(scores.scorers()).isEmpty();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < scores.considered(); i++) {
      values.add(scores.score(i));
    }
    assertThat(values).containsExactlyInAnyOrder(4.0, 0.0);
  }

  @Test
  void aRoundThatConsidersNothingStillReportsAndAFailingListenerDisturbsNothing() {
    try (Harness h = new Harness(1, 1)) {
      ScoresSeen seen = new ScoresSeen();
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRoundScores(RoundScores scores) {
              throw new IllegalStateException("broken metrics");
            }
          });
      h.cm.addListener(seen);
      h.open("a");
      h.open("b");
      h.cm.protect(PeerId.of("a"), "relay");
      h.cm.protect(PeerId.of("b"), "relay");
      h.pastGrace();

      TrimReport everythingProtected = h.cm.trim();
      h.cm.unprotect(PeerId.of("b"), "relay");
      TrimReport next = h.cm.trim();

      assertThat(everythingProtected.evicted()).isEmpty();
      assertThat(seen.next().considered()).isZero();
      assertThat(next.evicted()).hasSize(1);
      RoundScores second = seen.next();
      assertThat(second.considered()).isEqualTo(1);
      assertThat(second.closed(0)).isTrue();
    }
  }
}
