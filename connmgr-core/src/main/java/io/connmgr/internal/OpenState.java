package io.connmgr.internal;

/**
 * Whether the manager still takes calls that add or change anything: each component asks it before
 * such a call, and {@link Lifecycle} closes it.
 */
final class OpenState {

  private final CallbackSupervisor supervisor;
  private volatile boolean closed;

  OpenState(CallbackSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  /** Throws {@link IllegalStateException} once the manager is closed. */
  void ensureOpen() {
    if (closed || supervisor.isShutdown()) {
      throw new IllegalStateException("the connection manager is closed");
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** Marks the manager closed; false if it already was. */
  synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }
}
