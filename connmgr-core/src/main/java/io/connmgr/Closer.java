package io.connmgr;

/**
 * The transport's way to close one connection the manager has chosen to evict. Returning normally
 * means the connection is closed (or closing) and stops counting; throwing leaves it open and
 * counted, and the next round tries again.
 */
@FunctionalInterface
public interface Closer {

  /**
   * Closes the connection.
   *
   * @param why the record of this eviction, for a close status or a log line
   * @throws Exception if the connection could not be closed
   */
  void close(EvictionRecord why) throws Exception;
}
