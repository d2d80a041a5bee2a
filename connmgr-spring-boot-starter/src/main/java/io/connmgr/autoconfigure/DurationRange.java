package io.connmgr.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The values a {@code connmgr.*} duration property may take, from the core's {@link
 * io.connmgr.Bounds}; a value outside them becomes a violation that names the property and the
 * allowed range, in the units the property is written in.
 *
 * @param min the least value (zero, or one nanosecond for "positive")
 * @param max the largest value
 * @param off whether zero is allowed as "off" below {@code min}
 */
record DurationRange(Duration min, Duration max, boolean off) {

  private static final Duration ONE_NANO = Duration.ofNanos(1);

  /** From zero to {@code max}. */
  static DurationRange upTo(Duration max) {
    return new DurationRange(Duration.ZERO, max, false);
  }

  /** Above zero, up to {@code max}. */
  static DurationRange positiveUpTo(Duration max) {
    return new DurationRange(ONE_NANO, max, false);
  }

  /** Zero (off), or from {@code min} to {@code max}. */
  static DurationRange offOrBetween(Duration min, Duration max) {
    return new DurationRange(min, max, true);
  }

  void check(List<InvalidConnmgrPropertiesException.Violation> violations, String property,
      @Nullable Duration value) {
    if (value == null) {
      violations.add(ConnmgrProperties.violation(property, null, "must be set (" + allowed() + ")"));
    } else if (value.isNegative()) {
      violations.add(ConnmgrProperties.violation(property, value,
          "must not be negative (" + allowed() + ")"));
    } else if (off && value.isZero()) {
      return;
    } else if (value.compareTo(min) < 0) {
      String least = min.equals(ONE_NANO) ? "must be positive"
          : off ? "must be 0 (off) or at least " + format(min)
              + ": a shorter period would keep a core busy"
          : "must be at least " + format(min);
      violations.add(ConnmgrProperties.violation(property, value, least + " (" + allowed() + ")"));
    } else if (value.compareTo(max) > 0) {
      violations.add(ConnmgrProperties.violation(property, value,
          "must be at most " + format(max) + " (" + allowed() + ")"));
    }
  }

  /** The allowed range in words, e.g. {@code allowed: 0, or 10ms to 1h}. */
  String allowed() {
    String range = format(max);
    if (off) {
      return "allowed: 0 (off), or " + format(min) + " to " + range;
    }
    return min.equals(ONE_NANO) ? "allowed: more than 0, up to " + range
        : "allowed: " + format(min) + " to " + range;
  }

  /** A duration in the largest unit that writes it exactly, as properties do: 1d, 10ms, 90s. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    ChronoUnit[] units = {ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES,
        ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS};
    String[] suffixes = {"d", "h", "m", "s", "ms", "us"};
    for (int i = 0; i < units.length; i++) {
      Duration unit = units[i].getDuration();
      if (d.toNanos() % unit.toNanos() == 0) {
        return d.dividedBy(unit) + suffixes[i];
      }
    }
    return d.toNanos() + "ns";
  }
}
