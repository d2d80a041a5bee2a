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
 *
 * @param captured the stream's state when the snapshot was taken
 */
record StreamCopy(
    long id,
    String protocol,
    Direction direction,
    Instant openedAt,
    StatefulEntry.StateCopy captured)
    implements StreamView {

  StreamCopy(StreamEntry stream) {
    this(stream.id(), stream.protocol(), stream.direction(), stream.openedAt(), stream.stateCopy());
  }

  /**
   * The state set under {@code key} when the snapshot was taken; for a key not used by then, a
   * fresh initial value that nothing keeps.
   */
  @Override
  public <T> T state(AttachmentKey<T> key) {
    Objects.requireNonNull(key, "key");
    @SuppressWarnings("unchecked")
    T value = (T) captured.byKey().get(key);
    return value != null ? value : key.initialValue();
  }

  @Override
  public Map<String, Object> attachments() {
    return captured.byName();
  }

  @Override
  public String toString() {
    return "Stream[" + id + " " + protocol + " " + direction + "]";
  }
}
