package io.connmgr.benchmarks;

import io.connmgr.ConnectionManagerListener;
import io.connmgr.RoundScores;

/**
 * What the starter's score distributions cost a round on the round's own thread: a copy of every
 * considered connection's score, outcome and scorer answers (the histograms are then filled on
 * another thread). W1 and W6 add it with {@code -Dbench.distributions=true}
 * ({@code -jvmArgsAppend}), to compare with and without.
 */
final class ScoreDistributionsCopy implements ConnectionManagerListener {

  /** Whether this run measures with the distributions. */
  static final boolean ENABLED = Boolean.getBoolean("bench.distributions");

  /** How many of the last round's copied connections were closed; checked after the round. */
  volatile int closedCopied = -1;

  @Override
  public void onRoundScores(RoundScores round) {
    int n = round.considered();
    int scorers = round.scorers().size();
    double[] scores = new double[n];
    boolean[] closed = new boolean[n];
    int[] answers = new int[n * scorers];
    int closedCount = 0;
    for (int i = 0; i < n; i++) {
      scores[i] = round.score(i);
      closed[i] = round.closed(i);
      closedCount += closed[i] ? 1 : 0;
      for (int s = 0; s < scorers; s++) {
        answers[i * scorers + s] = round.answer(s, i);
      }
    }
    closedCopied = closedCount;
  }
}
