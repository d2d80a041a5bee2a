package io.connmgr.audit;

/** How an operator action went: carried out, tried without effect, or refused before it ran. */
public enum AuditResult {
  /** Carried out. */
  DONE,
  /** Tried, but it changed nothing: the connection had gone, the peer was not pinned. */
  FAILED,
  /** Refused before it ran: no access, invalid input, a limit. */
  REFUSED
}
