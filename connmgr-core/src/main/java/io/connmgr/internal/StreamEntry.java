package io.connmgr.internal;

import io.connmgr.Direction;
import io.connmgr.StreamView;
import java.time.Instant;

/** One stream on a connection. */
final class StreamEntry extends ScoredEntry implements StreamView {

  private final long id;
  private final ConnectionEntry connection;
  private final String protocol;
  private final Direction direction;
  private final long openedAtNanos;

  /** Cleared under the peer's monitor when the stream or its connection closes. */
  private volatile boolean open = true;

  /**
   * How many of its connection's leases were taken from it; guarded by the peer's monitor. A stream
   * that holds none closes without a walk over its connection's leases, which may be thousands.
   */
  private int leaseCount;

  StreamEntry(
      long id,
      ConnectionEntry connection,
      String protocol,
      Direction direction,
      long openedAtNanos) {
    this.id = id;
    this.connection = connection;
    this.protocol = protocol;
    this.direction = direction;
    this.openedAtNanos = openedAtNanos;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public Instant openedAt() {
    return Clock.toInstant(openedAtNanos);
  }

  /** The connection it runs on. */
  ConnectionEntry connection() {
    return connection;
  }

  boolean isOpen() {
    return open;
  }

  /** How many leases taken from it its connection holds; caller holds the peer's monitor. */
  int leaseCount() {
    return leaseCount;
  }

  /** A lease taken from it joined its connection's; caller holds the peer's monitor. */
  void leaseAdded() {
    leaseCount++;
  }

  /** A lease taken from it left its connection's; caller holds the peer's monitor. */
  void leaseRemoved() {
    leaseCount--;
  }

  /** Marks the stream closed; under the peer's monitor. */
  void markClosed() {
    open = false;
  }

  @Override
  public String toString() {
    return "Stream[" + id + " " + protocol + " on " + connection.id() + "]";
  }
}
