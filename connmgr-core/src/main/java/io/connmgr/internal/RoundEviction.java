package io.connmgr.internal;

import io.connmgr.EvictionRecord;
import java.util.Map;

/**
 * What a round captures when it closes a connection, so that the eviction record's sentence and
 * breakdown can be built when someone reads them: the peer's tags at close time, each answering
 * scorer's weighted part, the score the connection was ranked at, and its place in the order.
 */
final class RoundEviction implements EvictionRecord.Explanation {

  private final String why;
  private final TagsAtClose tags;
  private final String[] scorerNames;
  /** Each scorer's weighted part, by the same index; NaN where it gave no part (KEEP, none). */
  private final double[] scorerParts;
  private final double ranked;
  private final boolean late;
  private final int position;
  private final int candidates;

  /**
   * @param why the round's sentence, shared by its records
   * @param position the connection's place in the closing order, from 1
   * @param candidates how many candidates the round ordered
   */
  RoundEviction(String why, TagsAtClose tags, String[] scorerNames, double[] scorerParts,
      double ranked, boolean late, int position, int candidates) {
    this.why = why;
    this.tags = tags;
    this.scorerNames = scorerNames;
    this.scorerParts = scorerParts;
    this.ranked = ranked;
    this.late = late;
    this.position = position;
    this.candidates = candidates;
  }

  @Override
  public Map<String, Double> breakdown() {
    Map<String, Double> breakdown = tags.breakdown();
    for (int k = 0; k < scorerParts.length; k++) {
      if (!Double.isNaN(scorerParts[k])) {
        breakdown.put("scorer:" + scorerNames[k], scorerParts[k]);
      }
    }
    return breakdown;
  }

  /**
   * The record explains the score from the tags as they were at close; if they changed since the
   * round ranked the candidate (an earlier closer may have retagged it), it says so.
   */
  @Override
  public String reason(double score) {
    String rankedAt = score == ranked ? "" : " (ranked at " + ScoreText.format(ranked)
        + " before its tags changed during the round)";
    String lateAnswer = late ? " (a scorer gave no answer in time)" : "";
    return why + "; score " + ScoreText.format(score) + rankedAt + lateAnswer + ", "
        + ordinal(position) + " lowest of " + candidates + " candidates";
  }

  private static String ordinal(int n) {
    int mod100 = n % 100;
    String suffix = mod100 >= 11 && mod100 <= 13 ? "th"
        : switch (n % 10) {
          case 1 -> "st";
          case 2 -> "nd";
          case 3 -> "rd";
          default -> "th";
        };
    return n + suffix;
  }
}
