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

  /** Marks the stream closed; under the peer's monitor. */
  void markClosed() {
    open = false;
  }

  @Override
  public String toString() {
    return "Stream[" + id + " " + protocol + " on " + connection.id() + "]";
  }
}
