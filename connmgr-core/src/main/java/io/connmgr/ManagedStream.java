package io.connmgr;

import java.time.Duration;
import java.util.function.Consumer;

/** The transport's handle on one stream. */
public interface ManagedStream extends StreamView, AutoCloseable {

  /** The connection this stream runs on. */
  ConnectionView connection();

  /**
   * Runs {@code update} on this stream's state under {@code key} with exclusive access to it: other
   * updates of the same slot wait; other keys and other subjects do not.
   */
  <T> void update(AttachmentKey<T> key, Consumer<? super T> update);

  /** Whether the stream is still open. */
  boolean isOpen();

  /**
   * Leases this stream's connection, as {@link ManagedConnection#lease} does. The lease is released
   * when the stream closes.
   *
   * @throws IllegalStateException if the stream or its connection is closed, or the connection
   *     already holds 131 072 leases
   */
  Lease lease(Duration duration, LeaseListener listener);

  /** The stream ended. Idempotent. */
  @Override
  void close();
}
