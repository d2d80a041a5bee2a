package io.connmgr;

/**
 * Rates one connection when a round asks, at most once per connection per round. Runs outside the
 * manager's locks, within the scorer budget.
 */
@FunctionalInterface
public interface ConnectionScorer {

  /** Returns a score in [{@link Score#MIN}, {@link Score#MAX}], or {@link Score#KEEP}. */
  int score(ConnectionView connection);
}
