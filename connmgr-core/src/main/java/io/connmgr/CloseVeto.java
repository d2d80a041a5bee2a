package io.connmgr;

/**
 * Asked before a round closes a candidate, after leases; a veto keeps it open this round and the
 * round moves to the next candidate. A veto that throws counts as allow.
 */
@FunctionalInterface
public interface CloseVeto {

  /**
   * Reviews one candidate.
   *
   * @param candidate the connection the round is about to close
   * @param round the round, with what it already planned to close
   */
  Verdict review(ConnectionView candidate, TrimRound round);
}
