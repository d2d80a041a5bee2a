package io.connmgr.inspect;

import io.connmgr.AttachmentKey;
import io.connmgr.Direction;
import io.connmgr.Stateful;
import io.connmgr.StreamView;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/** A stream as a {@link Snapshot} saw it; its state is read from the live stream. */
public final class StreamSnapshot implements StreamView {

  private final long id;
  private final String protocol;
  private final Direction direction;
  private final Instant openedAt;
  private final Stateful live;

  /** Copies a stream's fields; {@code live} answers state queries. */
  public StreamSnapshot(
      long id, String protocol, Direction direction, Instant openedAt, Stateful live) {
    this.id = id;
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.openedAt = Objects.requireNonNull(openedAt, "openedAt");
    this.live = Objects.requireNonNull(live, "live");
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
    return openedAt;
  }

  @Override
  public <T> T state(AttachmentKey<T> key) {
    return live.state(key);
  }

  @Override
  public <T> void update(AttachmentKey<T> key, Consumer<? super T> update) {
    live.update(key, update);
  }

  /** The live subject's state, by key name; see {@link Stateful#attachments()}. */
  @Override
  public Map<String, Object> attachments() {
    return live.attachments();
  }

  @Override
  public String toString() {
    return "Stream[" + id + " " + protocol + " " + direction + "]";
  }
}
