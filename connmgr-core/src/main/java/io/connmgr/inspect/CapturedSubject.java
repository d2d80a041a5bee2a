package io.connmgr.inspect;

import io.connmgr.AttachmentKey;
import io.connmgr.Stateful;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot's subject (peer, connection or stream) with the typed state it carried when the
 * snapshot was taken, frozen.
 */
abstract class CapturedSubject implements Stateful {

  private final Map<AttachmentKey<?>, Object> byKey;
  private final Map<String, Object> byName;

  CapturedSubject(Map<AttachmentKey<?>, Object> byKey, Map<String, Object> byName) {
    this.byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  /**
   * The state set under {@code key} when the snapshot was taken; for a key not used by then, a
   * fresh initial value that nothing keeps. The snapshot holds the state objects themselves, not
   * copies of them: immutable state makes it a true copy.
   */
  @Override
  public final <T> T state(AttachmentKey<T> key) {
    Objects.requireNonNull(key, "key");
    @SuppressWarnings("unchecked")
    T value = (T) byKey.get(key);
    return value != null ? value : key.initialValue();
  }

  /** The state set when the snapshot was taken, by key name; see {@link Stateful#attachments()}. */
  @Override
  public final Map<String, Object> attachments() {
    return byName;
  }
}
