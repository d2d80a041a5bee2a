package io.connmgr;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when a test moves it; safe to read and advance from any thread. */
public final class ManualClock implements InstantSource {

  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicReference<Instant> now = new AtomicReference<>(START);

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves the clock forward by {@code d} and returns the new instant. */
  public Instant advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a manual clock only moves forward, got " + d);
    }
    return now.updateAndGet(t -> t.plus(d));
  }

  /** Sets the clock back by {@code d}, as an operator or NTP may set a wall clock back. */
  public Instant stepBack(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("step back by a positive duration, got " + d);
    }
    return now.updateAndGet(t -> t.minus(d));
  }
}
