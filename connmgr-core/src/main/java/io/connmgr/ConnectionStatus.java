package io.connmgr;

/** Where a connection is in its life, as its {@link ManagedConnection handle} shows it. */
public enum ConnectionStatus {
  /** Open and counted. */
  OPEN,
  /**
   * The manager chose to close it and its closer is running; it still counts toward the watermarks
   * until the close is done, and goes back to {@link #OPEN} if the closer fails.
   */
  CLOSING,
  /** Closed by the transport or by the manager; it no longer counts. */
  CLOSED
}
