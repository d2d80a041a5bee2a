package io.connmgr;

import java.util.Map;
import java.util.function.Consumer;

/** A subject (peer, connection or stream) that carries typed protocol state. */
public interface Stateful {

  /**
   * Returns this subject's state under {@code key}, created from the key's initial value the first
   * time it is asked for.
   */
  <T> T state(AttachmentKey<T> key);

  /**
   * Runs {@code update} on this subject's state under {@code key} with exclusive access to it:
   * other updates of the same slot wait; other keys and other subjects do not.
   */
  <T> void update(AttachmentKey<T> key, Consumer<? super T> update);

  /**
   * The state set on this subject so far, by key name, in the order the keys were first used; for
   * consoles and diagnostics. A name used by two keys appears as {@code name#index} for the later
   * one. Subjects that keep no state return an empty map.
   */
  default Map<String, Object> attachments() {
    return Map.of();
  }
}
