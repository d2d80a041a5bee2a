package io.connmgr;

/** Why an open connection was not closed by a round. */
public enum SkipReason {
  /** Its peer is protected under at least one tag. */
  PROTECTED,
  /** It opened less than the grace period ago. */
  GRACE,
  /** A lease holds it (active, or extended by its listener when asked). */
  LEASED,
  /** A scorer returned {@link Score#KEEP} for it. */
  KEPT_BY_SCORER,
  /** A {@link CloseVeto} vetoed closing it. */
  VETOED,
  /** Its closer threw; it stays open and is tried again next round. */
  CLOSE_FAILED
}
