package io.connmgr;

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
}
