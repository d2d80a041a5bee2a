package io.connmgr;

/**
 * Why a round closed fewer connections than it set out to; {@link TrimReport#shortfall()} counts
 * the missing closes by cause, so that closed plus the shortfall is always the target.
 */
public enum Shortfall {
  /**
   * The round stopped waiting for a callback that did not return within the callback budget ({@link
   * TrimReport#stalledOn()} names it) and made none of its remaining closes.
   */
  STALLED,
  /**
   * Connections the round would have closed were closed meanwhile by their transport or by another
   * close (an operator's, admission's), so the live count needed fewer closes.
   */
  CLOSED_MEANWHILE,
  /** Closers threw; their connections stay open and the next round tries again. */
  CLOSE_FAILED,
  /** Connections the round had planned to close were protected or leased before their turn. */
  HELD_BACK_SINCE_PLANNED,
  /**
   * The round ran out of candidates: every other open connection was held back ({@link
   * TrimReport#skipped()} and {@link TrimReport#vetoes()} say by what).
   */
  CANDIDATES_EXHAUSTED
}
