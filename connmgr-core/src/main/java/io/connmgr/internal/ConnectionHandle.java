package io.connmgr.internal;

import io.connmgr.AttachmentKey;
import io.connmgr.Direction;
import io.connmgr.Lease;
import io.connmgr.LeaseListener;
import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.connmgr.PeerId;
import io.connmgr.StreamView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/** What the transport holds for a connection; scorers and vetoes see the entry, never this. */
final class ConnectionHandle implements ManagedConnection {

  private final TransportSide side;
  private final ConnectionEntry entry;

  ConnectionHandle(TransportSide side, ConnectionEntry entry) {
    this.side = side;
    this.entry = entry;
  }

  @Override
  public long id() {
    return entry.id();
  }

  @Override
  public PeerId peer() {
    return entry.peer();
  }

  @Override
  public Direction direction() {
    return entry.direction();
  }

  @Override
  public String remoteAddress() {
    return entry.remoteAddress();
  }

  @Override
  public Instant openedAt() {
    return entry.openedAt();
  }

  @Override
  public int streamCount() {
    return entry.streamCount();
  }

  @Override
  public List<? extends StreamView> streams() {
    return entry.streams();
  }

  @Override
  public <T> T state(AttachmentKey<T> key) {
    return entry.state(key);
  }

  @Override
  public <T> void update(AttachmentKey<T> key, Consumer<? super T> update) {
    entry.update(key, update);
  }

  @Override
  public Map<String, Object> attachments() {
    return entry.attachments();
  }

  @Override
  public boolean isOpen() {
    return entry.isOpen();
  }

  @Override
  public boolean isClosing() {
    return entry.isClosing();
  }

  @Override
  public ManagedStream openStream(String protocol, Direction direction) {
    Arguments.name(protocol, "protocol");
    Objects.requireNonNull(direction, "direction");
    return new StreamHandle(side, side.openStream(entry, protocol, direction));
  }

  @Override
  public void closed() {
    side.closed(entry);
  }

  @Override
  public Lease lease(Duration duration, LeaseListener listener) {
    return side.lease(entry, null, duration, listener);
  }

  @Override
  public String toString() {
    return entry + (entry.isClosing() ? " CLOSING" : entry.isOpen() ? " OPEN" : " CLOSED");
  }
}
