package io.connmgr.inspect;

import io.connmgr.AttachmentKey;
import io.connmgr.Direction;
import io.connmgr.StreamView;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stream as a {@link Snapshot} saw it: an immutable value, state included, that no later change
 * of the manager reaches.
 */
public final class StreamSnapshot extends CapturedSubject implements StreamView {

  private final long id;
  private final String protocol;
  private final Direction direction;
  private final Instant openedAt;

  /** A stream as it was, with the state set on it by then. */
  public StreamSnapshot(
      long id,
      String protocol,
      Direction direction,
      Instant openedAt,
      Map<AttachmentKey<?>, Object> state,
      Map<String, Object> attachments) {
    super(state, attachments);
    this.id = id;
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.openedAt = Objects.requireNonNull(openedAt, "openedAt");
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
  public String toString() {
    return "Stream[" + id + " " + protocol + " " + direction + "]";
  }
}
