package io.connmgr;

/** A handle on something registered with the manager; {@link #close()} unregisters it. */
@FunctionalInterface
public interface Registration extends AutoCloseable {

  /** Unregisters. Idempotent. */
  @Override
  void close();
}
