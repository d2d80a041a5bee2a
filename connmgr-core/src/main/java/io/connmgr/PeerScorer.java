package io.connmgr;

/**
 * Rates a peer when a round asks, at most once per peer per round; the score adds to each of the
 * peer's connections. Runs outside the manager's locks, within the scorer budget.
 */
@FunctionalInterface
public interface PeerScorer {

  /** Returns a score in [{@link Score#MIN}, {@link Score#MAX}], or {@link Score#KEEP}. */
  int score(PeerView peer);
}
