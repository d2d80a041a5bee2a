package io.connmgr.internal;

import io.connmgr.Direction;
import io.connmgr.StreamView;
import java.time.Instant;

/** One stream on a connection. */
final class StreamEntry extends StatefulEntry implements StreamView {

  final long id;
  final ConnectionEntry connection;
  final String protocol;
  final Direction direction;
  final long openedAtNanos;
  /** Cleared under the peer's monitor when the stream or its connection closes. */
  volatile boolean open = true;

  StreamEntry(long id, ConnectionEntry connection, String protocol, Direction direction,
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

  @Override
  public String toString() {
    return "Stream[" + id + " " + protocol + " on " + connection.id + "]";
  }
}
