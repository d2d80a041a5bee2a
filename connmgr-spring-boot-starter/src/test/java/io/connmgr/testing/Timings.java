package io.connmgr.testing;

import java.util.Arrays;

/** The loopback overhead tests' arithmetic. */
public final class Timings {

  private Timings() {}

  /** The median of {@code values} (the upper one for an even count). */
  public static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
