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

  /** Whether the connection still counts: neither the transport nor the manager closed it. */
  boolean isOpen();

  /**
   * Where the connection is in its life: open, closing (the manager's closer is running; it still
   * counts) or closed. Handles that do not track closing say {@link ConnectionStatus#OPEN} or
   * {@link ConnectionStatus#CLOSED} from {@link #isOpen()}.
   */
  default ConnectionStatus status() {
    return isOpen() ? ConnectionStatus.OPEN : ConnectionStatus.CLOSED;
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
   * @param listener asked what to do when a round finds the lease elapsed but not released
   * @throws IllegalStateException if the connection is closed
   */
  Lease lease(Duration duration, LeaseListener listener);
}
