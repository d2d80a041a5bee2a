package io.connmgr.internal;

import java.time.Instant;
import java.time.InstantSource;

/** The manager's time: instants from the injected source, kept as epoch nanoseconds inside. */
final class Clock {

  private final InstantSource source;

  Clock(InstantSource source) {
    this.source = source;
  }

  long nanos() {
    return toNanos(source.instant());
  }

  Instant instant() {
    return source.instant();
  }

  static long toNanos(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
        instant.getNano());
  }

  static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L));
  }
}
