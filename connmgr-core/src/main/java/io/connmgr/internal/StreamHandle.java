package io.connmgr.internal;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionView;
import io.connmgr.Direction;
import io.connmgr.Lease;
import io.connmgr.LeaseListener;
import io.connmgr.ManagedStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/** What the transport holds for a stream; scorers see the entry, never this. */
final class StreamHandle implements ManagedStream {

  private final TransportSide side;
  private final StreamEntry entry;

  StreamHandle(TransportSide side, StreamEntry entry) {
    this.side = side;
    this.entry = entry;
  }

  @Override
  public long id() {
    return entry.id();
  }

  @Override
  public String protocol() {
    return entry.protocol();
  }

  @Override
  public Direction direction() {
    return entry.direction();
  }

  @Override
  public Instant openedAt() {
    return entry.openedAt();
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
  public ConnectionView connection() {
    return entry.connection();
  }

  @Override
  public boolean isOpen() {
    return entry.isOpen();
  }

  @Override
  public Lease lease(Duration duration, LeaseListener listener) {
    return side.lease(entry.connection(), entry, duration, listener);
  }

  @Override
  public void close() {
    side.closeStream(entry);
  }

  @Override
  public String toString() {
    return entry + (entry.isOpen() ? " open" : " closed");
  }
}
