package io.connmgr;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The transport's handle on a connection it reported open: it opens streams, takes leases, and
 * reports the close.
 */
public interface ManagedConnection extends ConnectionView {

  /**
   * Runs {@code update} on this connection's state under {@code key} with exclusive access to it:
   * other updates of the same slot wait; other keys and other subjects do not.
   */
  <T> void update(AttachmentKey<T> key, Consumer<? super T> update);

  /**
   * Whether the connection still counts: neither the transport nor the manager closed it. True also
   * while it is {@linkplain #isClosing() closing}.
   */
  boolean isOpen();

  /**
   * Whether the manager chose to close the connection and its closer is running: it still counts
   * toward the watermarks (and {@link #isOpen()} is true) until the close is done, and is no longer
   * closing if the closer fails. Handles that do not track closing say false.
   */
  default boolean isClosing() {
    return false;
  }

  /**
   * Records a new stream on this connection.
   *
   * @throws NullPointerException if the protocol or the direction is null
   * @throws IllegalArgumentException if the protocol is blank
   * @throws IllegalStateException if the connection is closed
   */
  ManagedStream openStream(String protocol, Direction direction);

  /** The transport says the connection closed. Idempotent. */
  void closed();

  /**
   * Keeps this connection out of every round for {@code duration} (capped by the manager's maximum
   * lease).
   *
   * <p>A connection holds at most 131 072 leases at once (its streams' included): elapsed leases
   * with {@link LeaseListener#releasing()} leave by themselves, others stay until released or until
   * a round asks their listener.
   *
   * @param listener asked what to do when a round finds the lease elapsed but not released
   * @throws IllegalStateException if the connection is closed, or already holds 131 072 leases
   */
  Lease lease(Duration duration, LeaseListener listener);
}
