package io.connmgr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Collects the violations of a builder's settings, with messages that say what is wrong and what
 * would be right; ranges are written as properties and the docs write them ({@code 1d}, {@code
 * 10ms}).
 */
final class SettingsCheck {

  private static final Duration ONE_NANO = Duration.ofNanos(1);

  private final List<InvalidSettingsException.Violation> found = new ArrayList<>();

  /** A problem that no range helper covers. */
  void add(
      Setting setting, @Nullable String key, Object value, String message, Setting... related) {
    found.add(
        new InvalidSettingsException.Violation(
            setting, key, text(value), message, List.of(related)));
  }

  void positive(Setting setting, int value) {
    if (value <= 0) {
      add(setting, null, value, "must be positive (1 or more)");
    }
  }

  void between(Setting setting, int value, int min, int max) {
    if (value < min || value > max) {
      add(
          setting,
          null,
          value,
          max == Integer.MAX_VALUE && min == 0
              ? "must not be negative"
              : "must be between " + min + " and " + max);
    }
  }

  /** From {@code min} (zero, or one nanosecond for "above 0") to {@code max}. */
  void between(Setting setting, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      add(setting, null, value, "must be " + range(min, max));
    }
  }

  /** Zero (off), or from {@code min} to {@code max}. */
  void offOrBetween(Setting setting, Duration value, Duration min, Duration max, String off) {
    if (!value.isZero() && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
      add(
          setting,
          null,
          value,
          "must be 0 ("
              + off
              + ") or "
              + range(min, max)
              + (value.compareTo(min) < 0 && !value.isNegative()
                  ? ": a shorter period would keep a core busy"
                  : ""));
    }
  }

  /** What was found, in the order of {@link Setting}. */
  List<InvalidSettingsException.Violation> violations() {
    List<InvalidSettingsException.Violation> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparing(InvalidSettingsException.Violation::setting));
    return List.copyOf(sorted);
  }

  static String text(Object value) {
    return value instanceof Duration d ? DurationText.format(d) : String.valueOf(value);
  }

  private static String range(Duration min, Duration max) {
    String least = min.equals(ONE_NANO) ? "above 0" : "from " + DurationText.format(min);
    return least + (min.equals(ONE_NANO) ? ", up to " : " to ") + DurationText.format(max);
  }
}
