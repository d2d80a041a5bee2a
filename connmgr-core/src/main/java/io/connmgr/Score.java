package io.connmgr;

/** The range of a scorer's result, and the one value outside it that means "keep". */
public final class Score {

  /** The lowest score: nothing to lose by closing. */
  public static final int MIN = 0;

  /** The highest score. */
  public static final int MAX = 1000;

  /**
   * Keep this connection this round, whatever its score. Any other value outside [MIN, MAX] is
   * clamped and counted.
   */
  public static final int KEEP = Integer.MIN_VALUE;

  private Score() {}
}
