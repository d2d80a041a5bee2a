package io.connmgr.internal;

import io.connmgr.RoundScores;
import io.connmgr.Score;
import io.connmgr.Trigger;
import java.util.List;
import java.util.Objects;

/**
 * A round's scores as {@link RoundScores}, read straight from the round's arrays, which the round
 * no longer changes once it hands this out: no copy, so a round costs nothing more for it.
 */
final class RoundScoresView implements RoundScores {

  private final Trigger trigger;
  private final int n;
  private final double[] score;
  private final long[] closed;
  private final List<String> scorers;
  private final int[] answers;

  /**
   * @param score each connection's final score, the first {@code n} read (a connection a scorer
   *     kept reads as +Inf whatever its entry)
   * @param closed a bit per connection, set when the round closed it
   * @param answers per connection, one answer per scorer ({@code answers[i * scorers + s]})
   */
  RoundScoresView(
      Trigger trigger, int n, double[] score, long[] closed, List<String> scorers, int[] answers) {
    this.trigger = trigger;
    this.n = n;
    this.score = score;
    this.closed = closed;
    this.scorers = List.copyOf(scorers);
    this.answers = answers;
  }

  /** A bit set with room for {@code n} connections. */
  static long[] closedBits(int n) {
    return new long[(n + 63) >>> 6];
  }

  /** Marks connection {@code i} closed in {@code bits}. */
  static void markClosed(long[] bits, int i) {
    bits[i >>> 6] |= 1L << i;
  }

  @Override
  public Trigger trigger() {
    return trigger;
  }

  @Override
  public int considered() {
    return n;
  }

  @Override
  public double score(int i) {
    Objects.checkIndex(i, n);
    int cols = scorers.size();
    for (int s = 0; s < cols; s++) {
      if (answers[i * cols + s] == Score.KEEP) {
        return Double.POSITIVE_INFINITY; // whatever the round keeps in its score array for it
      }
    }
    return score[i];
  }

  @Override
  public boolean closed(int i) {
    Objects.checkIndex(i, n);
    return (closed[i >>> 6] & (1L << i)) != 0;
  }

  @Override
  public List<String> scorers() {
    return scorers;
  }

  @Override
  public int answer(int scorer, int i) {
    Objects.checkIndex(scorer, scorers.size());
    return answers[Objects.checkIndex(i, n) * scorers.size() + scorer];
  }
}
