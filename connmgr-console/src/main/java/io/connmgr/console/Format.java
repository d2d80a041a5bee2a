package io.connmgr.console;

import io.connmgr.SkipReason;
import io.connmgr.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formats numbers, durations and instants the way every console page shows them. */
final class Format {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Format() {}

  static String score(double value) {
    if (Double.isNaN(value)) {
      return "–";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e12
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  /** A duration for people: 850 ms, 12.3 s, 4m 05s, 2h 03m, 3d 4h. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%dd %dh", s / 86_400, s % 86_400 / 3600);
  }

  /** A latency, in microseconds below a millisecond. */
  static String latency(Duration d) {
    long nanos = d.toNanos();
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f µs", nanos / 1000.0);
    }
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1_000_000.0);
  }

  static String instant(Instant at) {
    return TIME.format(at);
  }

  static String reason(SkipReason reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  static String trigger(Trigger trigger) {
    return trigger.name().toLowerCase(Locale.ROOT);
  }
}
