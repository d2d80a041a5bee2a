package io.connmgr.inspect;

import io.connmgr.AttachmentKey;
import io.connmgr.Direction;
import io.connmgr.Stateful;
import io.connmgr.StreamView;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stream as a {@link Snapshot} saw it: an immutable value, state included, that no later change
 * of the manager reaches.
 */
public final class StreamSnapshot implements StreamView {

  private final long id;
  private final String protocol;
  private final Direction direction;
  private final Instant openedAt;
  private final CapturedState state;

  /** A stream as it was, with the state set on it by then. */
  public StreamSnapshot(
      long id, String protocol, Direction direction, Instant openedAt,
      Map<AttachmentKey<?>, Object> state, Map<String, Object> attachments) {
    this.id = id;
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.openedAt = Objects.requireNonNull(openedAt, "openedAt");
    this.state = new CapturedState(state, attachments);
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

  /**
   * The state set under {@code key} when the snapshot was taken; for a key not used by then, a
   * fresh initial value that nothing keeps. The snapshot holds the state objects themselves, not
   * copies of them: immutable state makes it a true copy.
   */
  @Override
  public <T> T state(AttachmentKey<T> key) {
    return state.get(key);
  }

  /** The state set when the snapshot was taken, by key name; see {@link Stateful#attachments()}. */
  @Override
  public Map<String, Object> attachments() {
    return state.byName();
  }

  @Override
  public String toString() {
    return "Stream[" + id + " " + protocol + " " + direction + "]";
  }
}
