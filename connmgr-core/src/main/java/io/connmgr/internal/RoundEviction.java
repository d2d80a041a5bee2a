package io.connmgr.internal;

import io.connmgr.EvictionRecord;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a round captures when it closes a connection, so that the eviction record's sentence and
 * breakdown can be built when someone reads them: the peer's tags at close time, each answering
 * scorer's weighted part, the score the connection was ranked at, and its place in the order.
 *
 * <p>The tags cost nothing to capture when the close takes the peer's last connection: the peer
 * leaves the table with its tags, which nothing changes again, so the record reads them from the
 * departed entry. Only a peer that stays is copied, when the close settles ({@link #settled}).
 */
final class RoundEviction implements EvictionRecord.Explanation, Closes.Settled {

  private final RoundCause why;

  /** The peer whose tags the record shows; read from it until {@link #tags} is set. */
  private final PeerEntry peer;

  /** The tags copied when the close settled, if the peer stayed in the table; else null. */
  private volatile @Nullable TagsAtClose tags;

  private final String[] scorerNames;

  /** Each scorer's weighted part, by the same index; NaN where it gave no part (KEEP, none). */
  private final double[] scorerParts;

  private final double ranked;
  private final boolean late;
  private final int position;
  private final int candidates;

  /**
   * @param why why the round ran, shared by its records
   * @param position the connection's place in the closing order, from 1
   * @param candidates how many candidates the round ordered
   */
  RoundEviction(
      RoundCause why,
      PeerEntry peer,
      String[] scorerNames,
      double[] scorerParts,
      double ranked,
      boolean late,
      int position,
      int candidates) {
    this.why = why;
    this.peer = peer;
    this.scorerNames = scorerNames;
    this.scorerParts = scorerParts;
    this.ranked = ranked;
    this.late = late;
    this.position = position;
    this.candidates = candidates;
  }

  /**
   * The close is done: from now on the record shows the tags as they are. A peer that left the
   * table keeps them as they are for good; a peer that stays is copied.
   */
  @Override
  public void settled() {
    if (!peer.isRemoved()) {
      tags = peer.tagsNow();
    }
  }

  @Override
  public Map<String, Double> breakdown() {
    TagsAtClose copied = tags;
    Map<String, Double> breakdown = (copied != null ? copied : peer.tagsNow()).breakdown();
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
    String rankedAt =
        score == ranked
            ? ""
            : " (ranked at "
                + ScoreText.format(ranked)
                + " before its tags changed during the round)";
    String lateAnswer = late ? " (a scorer gave no answer in time)" : "";
    return why.sentence()
        + "; score "
        + ScoreText.format(score)
        + rankedAt
        + lateAnswer
        + ", "
        + ordinal(position)
        + " lowest of "
        + candidates
        + " candidates";
  }

  private static String ordinal(int n) {
    int mod100 = n % 100;
    String suffix =
        mod100 >= 11 && mod100 <= 13
            ? "th"
            : switch (n % 10) {
              case 1 -> "st";
              case 2 -> "nd";
              case 3 -> "rd";
              default -> "th";
            };
    return n + suffix;
  }
}
