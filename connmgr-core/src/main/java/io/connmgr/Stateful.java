package io.connmgr;

import java.util.Map;

/**
 * A subject (peer, connection or stream) that carries typed protocol state, read here. The state is
 * changed only through the transport's handles ({@link ManagedConnection#update}, {@link
 * ManagedStream#update}) and {@link ConnectionManager#updatePeer}: what scorers, vetoes, listeners
 * and snapshots see cannot change it.
 */
public interface Stateful {

  /**
   * Returns this subject's state under {@code key}, created from the key's initial value the first
   * time it is asked for.
   */
  <T> T state(AttachmentKey<T> key);

  /**
   * The state set on this subject so far, by key name, in the order the keys were first used; for
   * consoles and diagnostics. A name used by two keys appears as {@code name#index} for the later
   * one. Subjects that keep no state return an empty map.
   */
  default Map<String, Object> attachments() {
    return Map.of();
  }
}
