package io.connmgr.audit;

/** What an operator did; a meter tag, so a closed set. */
public enum OperatorAction {
  /** Pinned a peer (protection under {@code connmgr:pinned}). */
  PIN,
  /** Removed a peer's pin. */
  UNPIN,
  /** Closed a connection, or every connection of a peer. */
  EVICT,
  /** Ran a round down to low water now. */
  TRIM
}
