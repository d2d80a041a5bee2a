package io.connmgr;

import java.time.Duration;

/**
 * Writes a duration the way Spring Boot properties and the docs do: in the largest unit that holds
 * it exactly ({@code 1d}, {@code 90s}, {@code 10ms}), whatever its size.
 */
final class DurationText {

  private static final long[] SECONDS = {86_400, 3_600, 60, 1};
  private static final String[] SECOND_SUFFIXES = {"d", "h", "m", "s"};
  private static final long[] NANOS = {1_000_000, 1_000, 1};
  private static final String[] NANO_SUFFIXES = {"ms", "us", "ns"};

  private DurationText() {}

  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.getNano() == 0) {
      long seconds = d.getSeconds();
      for (int i = 0; i < SECONDS.length; i++) {
        if (seconds % SECONDS[i] == 0) {
          return seconds / SECONDS[i] + SECOND_SUFFIXES[i];
        }
      }
    }
    if (Math.abs(d.getSeconds()) > 1_000_000_000L) {
      return d.toString();
    }
    long nanos = d.toNanos();
    for (int i = 0; i < NANOS.length; i++) {
      if (nanos % NANOS[i] == 0) {
        return nanos / NANOS[i] + NANO_SUFFIXES[i];
      }
    }
    throw new AssertionError("every whole number of nanoseconds divides by one");
  }
}
