package io.connmgr;

import java.util.List;

/**
 * The scores one round worked with, for score distributions in a monitoring system: each connection
 * the round considered (its candidates: open, not protected, not leased, past their grace period),
 * with its final score, whether the round closed it, and each scorer's answer for it. Handed to
 * {@link ConnectionManagerListener#onRoundScores} once the round has closed what it closes.
 * Connections are numbered {@code 0 .. considered() - 1} in no particular order; no peer or
 * connection id is exposed, so nothing here can leak into a metric's tags. The values never change
 * once handed out.
 */
public interface RoundScores {

  /**
   * What {@link #answer} gives for a scorer that gave a connection no answer this round: its call
   * threw, ran past its budget, or was not made because the scorer still hangs from an earlier
   * call. Outside every scorer's range, and not {@link Score#KEEP}.
   */
  int NO_ANSWER = Integer.MIN_VALUE + 1;

  /** What started the round. */
  Trigger trigger();

  /** How many connections the round considered. */
  int considered();

  /**
   * The final score of connection {@code i}: its peer's tag value plus the weighted sum of its
   * scorers' answers (a scorer that gave none adds nothing); {@link Double#POSITIVE_INFINITY} if a
   * scorer answered {@link Score#KEEP}.
   */
  double score(int i);

  /** Whether the round closed connection {@code i} (a connection it kept stays open). */
  boolean closed(int i);

  /** The names of the scorers that answered in this round, in the order of {@link #answer}. */
  List<String> scorers();

  /**
   * Scorer {@code scorer}'s unweighted answer for connection {@code i}: 0..1000 after clamping,
   * {@link Score#KEEP}, or {@link #NO_ANSWER}. A peer scorer's answer is its peer's; a stream
   * scorer's is the sum over the connection's open streams of its protocol (0 without one).
   */
  int answer(int scorer, int i);
}
