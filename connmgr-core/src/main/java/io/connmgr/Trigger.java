package io.connmgr;

/** What started a round or an eviction. */
public enum Trigger {
  /** An automatic round: the count went above high water. */
  WATERMARK,
  /** An explicit {@link ConnectionManager#trim()}. */
  MANUAL,
  /** An operator's eviction of one connection ({@link ConnectionManager#evict}). */
  OPERATOR,
  /** Heap pressure: a round that ignores grace and silence periods. */
  EMERGENCY,
  /** A new connection at a hard limit displaced a lower-scoring one. */
  ADMISSION,
  /** The manager closed connections while shutting down. */
  SHUTDOWN
}
