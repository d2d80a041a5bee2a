package io.connmgr.internal;

import io.connmgr.Direction;
import io.connmgr.LeaseListener;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the transport's connection and stream handles call: a stream opened or closed, a lease
 * taken, the connection closed by the transport.
 */
final class TransportSide {

  private final OpenState open;
  private final PeerTable table;
  private final Leases leases;
  private final Closes closes;

  TransportSide(OpenState open, PeerTable table, Leases leases, Closes closes) {
    this.open = open;
    this.table = table;
    this.leases = leases;
    this.closes = closes;
  }

  StreamEntry openStream(ConnectionEntry c, String protocol, Direction direction) {
    open.ensureOpen();
    return table.openStream(c, protocol, direction);
  }

  void closeStream(StreamEntry s) {
    table.closeStream(s);
  }

  LeaseImpl lease(ConnectionEntry c, @Nullable StreamEntry s, Duration d, LeaseListener l) {
    open.ensureOpen();
    return leases.take(c, s, d, l);
  }

  /** The transport says the connection closed (idempotent). */
  void closed(ConnectionEntry c) {
    closes.transportClosed(c);
  }
}
