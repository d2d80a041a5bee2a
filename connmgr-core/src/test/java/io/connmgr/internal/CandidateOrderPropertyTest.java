package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the candidates (runs of equal scores, equal tie keys, all equal, none equal) and however
 * the reader asks for them, the order hands out every candidate once, lowest score first and, on
 * equal scores, lowest tie key first: exactly the order a full sort gives, up to candidates whose
 * keys are equal in both.
 */
class CandidateOrderPropertyTest {

  @Property(tries = 300)
  void handsOutEveryCandidateOnceInTheOrderOfAFullSort(
      @ForAll @IntRange(min = 0, max = 3_000) int n,
      @ForAll @IntRange(min = 1, max = 200) int distinctScores,
      @ForAll @IntRange(min = 1, max = 50) int distinctTies,
      @ForAll @IntRange(min = 1, max = 4_000) int firstAsk,
      @ForAll boolean whole,
      @ForAll boolean far,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] score = new double[n];
    long[] tie = new long[n];
    for (int i = 0; i < n; i++) {
      // negative, zero (both signs) and positive scores, whole (which the order counts into runs
      // of one score when they span fewer values than there are candidates) or with fractions,
      // near zero or far from it
      int drawn = random.nextInt(distinctScores) - distinctScores / 2;
      score[i] = (whole ? drawn : drawn / 4.0) + (far ? 0x1p60 : 0);
      if (score[i] == 0 && random.nextBoolean()) {
        score[i] = -0.0;
      }
      tie[i] = random.nextInt(distinctTies);
    }
    CandidateOrder order = new CandidateOrder(score, tie, n);

    List<Integer> handedOut = new ArrayList<>();
    List<Integer> peeked = new ArrayList<>(); // what peek said position k would hold, or null
    int ask = firstAsk;
    while (order.hasNext()) {
      // a round's read-ahead peeks at what comes next; peeking changes nothing
      for (int ahead = 0; ahead < 3; ahead++) {
        int seen = order.peek(ahead);
        int at = handedOut.size() + ahead;
        if (seen >= 0) {
          while (peeked.size() <= at) {
            peeked.add(null);
          }
          peeked.set(at, seen);
        }
      }
      // a reader that takes fewer than it said it needs, as a round does when it skips some, or
      // more, as one does when leases and vetoes spare more than the slack
      handedOut.add(order.next(ask));
      ask = Math.max(1, ask + random.nextInt(-3, 4));
    }
    for (int k = 0; k < peeked.size(); k++) {
      if (peeked.get(k) != null) {
        assertThat(handedOut.get(k)).as("peeked at position %d", k).isEqualTo(peeked.get(k));
      }
    }
    assertThat(order.peek(0)).as("nothing left to peek at").isEqualTo(-1);

    assertThat(handedOut).hasSize(n).doesNotHaveDuplicates();
    Comparator<Integer> byKeys =
        Comparator.<Integer>comparingDouble(i -> score[i] + 0.0).thenComparingLong(i -> tie[i]);
    assertThat(handedOut).isSortedAccordingTo(byKeys);
  }
}
