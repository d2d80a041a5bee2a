package io.connmgr.internal;

import io.connmgr.AttachmentKey;
import io.connmgr.Direction;
import io.connmgr.StreamView;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stream as a snapshot saw it ({@code ConnectionSnapshot.streams()}): an immutable value, state
 * included, that no later change of the manager reaches. Users see it as a {@link StreamView}.
 */
final class StreamCopy implements StreamView {

  private final long id;
  private final String protocol;
  private final Direction direction;
  private final Instant openedAt;
  private final StatefulEntry.StateCopy state;

  StreamCopy(StreamEntry stream) {
    this.id = stream.id();
    this.protocol = stream.protocol();
    this.direction = stream.direction();
    this.openedAt = stream.openedAt();
    this.state = stream.stateCopy();
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
   * fresh initial value that nothing keeps.
   */
  @Override
  public <T> T state(AttachmentKey<T> key) {
    Objects.requireNonNull(key, "key");
    @SuppressWarnings("unchecked")
    T value = (T) state.byKey().get(key);
    return value != null ? value : key.initialValue();
  }

  @Override
  public Map<String, Object> attachments() {
    return state.byName();
  }

  @Override
  public String toString() {
    return "Stream[" + id + " " + protocol + " " + direction + "]";
  }
}
