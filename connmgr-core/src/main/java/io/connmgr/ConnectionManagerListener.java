package io.connmgr;

/**
 * Events from the manager, for metrics, logs and consoles. Every method has an empty default; a
 * listener that throws is logged and does not disturb the manager or the other listeners. A
 * listener is sent only the events whose methods it overrides (found when it is added): one that
 * counts evictions costs a round nothing for its closes.
 *
 * <p>Each listener hears its events in order on a callback thread of the manager, shortly after the
 * call that caused them returned, never on that call's thread (a round's, the upkeep thread's, a
 * transport's). A listener that blocks holds one callback thread and, once it has made no progress
 * within the callback budget and 4096 of its events wait, loses its further events until it catches
 * up ({@link io.connmgr.inspect.ManagerStats#droppedListenerEvents()}); the others hear theirs. A
 * listener that is only behind (a round of 100 000 closes sends a listener of closes and evictions
 * 200 000 events at once) loses nothing unless over a million of its events wait. Calling {@code
 * trim()}, {@code maintain()}, {@code assess()} or {@code emergencyTrim()} from a listener throws
 * {@link IllegalStateException}.
 */
public interface ConnectionManagerListener {

  /** A transport reported a new connection. */
  default void onConnectionOpened(ConnectionView connection) {}

  /** A connection stopped counting (closed by the transport or evicted). */
  default void onConnectionClosed(ConnectionView connection) {}

  /** The manager closed a connection. */
  default void onEviction(EvictionRecord record) {}

  /** A closer threw; the connection stays open and the next round tries again. */
  default void onCloseFailure(ConnectionView connection, Exception failure) {}

  /** A round finished. */
  default void onRound(TrimReport report) {}

  /**
   * A round that set out to close connections has closed what it closes: the scores it worked with,
   * for score distributions (none when everything was held back). The values stay valid after the
   * call, but keep them no longer than needed: they hold the round's score arrays.
   */
  default void onRoundScores(RoundScores scores) {}

  /**
   * A round found an elapsed lease and asked its listener.
   *
   * @param extended whether the lease was extended, which spared the connection this round
   */
  default void onLeaseExpiry(Lease lease, LeaseDecision decision, boolean extended) {}

  /** A veto kept a candidate open. */
  default void onVeto(String veto, ConnectionView candidate, String reason) {}

  /**
   * A peer was protected under a tag it did not have, or lost one ({@code protectedNow} false); the
   * console's pins are protection under {@link ConnectionManager#PIN_TAG}.
   */
  default void onProtectionChanged(PeerId peer, String tag, boolean protectedNow) {}

  /** A new connection was refused by a hard limit. */
  default void onRefusal(PeerId peer, Direction direction, AdmissionLimit limit) {}
}
