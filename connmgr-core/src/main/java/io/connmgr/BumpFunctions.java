package io.connmgr;

/** The usual {@link BumpFunction}s. */
public final class BumpFunctions {

  private static final BumpFunction SUM = BumpFunctions::saturatedAdd;
  private static final BumpFunction OVERWRITE = (value, delta) -> delta;

  private BumpFunctions() {}

  /** Adds the delta (saturating at the int range). */
  public static BumpFunction sum() {
    return SUM;
  }

  /** Adds the delta and clamps the result to [min, max]. */
  public static BumpFunction boundedSum(int min, int max) {
    if (min > max) {
      throw new IllegalArgumentException("boundedSum needs min <= max, was " + min + " > " + max);
    }
    return (value, delta) -> Math.max(min, Math.min(max, saturatedAdd(value, delta)));
  }

  /** Replaces the value with the delta. */
  public static BumpFunction overwrite() {
    return OVERWRITE;
  }

  private static int saturatedAdd(int a, int b) {
    long sum = (long) a + b;
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum));
  }
}
