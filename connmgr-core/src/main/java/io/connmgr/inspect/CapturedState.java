package io.connmgr.inspect;

import io.connmgr.AttachmentKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The typed state a snapshot's subject carried when the snapshot was taken, frozen. */
final class CapturedState {

  private final Map<AttachmentKey<?>, Object> byKey;
  private final Map<String, Object> byName;

  CapturedState(Map<AttachmentKey<?>, Object> byKey, Map<String, Object> byName) {
    this.byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  /** The value under {@code key} then; a fresh initial value, kept nowhere, if it had none. */
  <T> T get(AttachmentKey<T> key) {
    Objects.requireNonNull(key, "key");
    @SuppressWarnings("unchecked")
    T value = (T) byKey.get(key);
    return value != null ? value : key.initialValue();
  }

  Map<String, Object> byName() {
    return byName;
  }
}
