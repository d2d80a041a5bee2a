package io.connmgr.internal;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The manager's time. Durations (grace, silence, leases, decay) are measured on a monotonic count
 * of nanoseconds, {@link #nanos()}; records and views show wall-clock instants, {@link #instant()}.
 *
 * <p>The count starts at the wall clock's epoch nanoseconds when the manager is built, so {@link
 * #toInstant} turns a reading into the instant it stands for as long as the wall clock does not
 * jump. With the system clock (the default) it then follows {@link System#nanoTime()}; with an
 * injected clock (tests) it follows that clock's forward steps only: a step back counts as no time
 * passing, so a wall clock set back an hour never stops rounds, leases or decay for an hour.
 *
 * <p>Readings are kept within {@code ±}{@link #LIMIT} nanoseconds of the epoch (about the years
 * 1750 to 2225), far enough from {@code long}'s ends that adding any duration the builder accepts
 * cannot overflow: an absurd injected instant ({@link Instant#MAX}) counts as that limit.
 */
final class Clock {

  /** The largest reading, in nanoseconds from the epoch; 2^60 below {@code Long.MAX_VALUE}. */
  static final long LIMIT = Long.MAX_VALUE - (1L << 60);

  private final InstantSource source;
  private final boolean system;
  private final long startNanoTime;
  private final long startEpochNanos;

  /** For an injected clock: the last wall reading and the monotonic count it gave. */
  private long lastWall;

  private long lastCount;

  Clock(InstantSource source) {
    this.source = source;
    this.system = isSystem(source);
    this.startNanoTime = System.nanoTime();
    this.startEpochNanos = toNanos(source.instant());
    this.lastWall = startEpochNanos;
    this.lastCount = startEpochNanos;
  }

  /**
   * Whether {@code source} is the system's own clock: {@link InstantSource#system()} (the default)
   * or one of {@link java.time.Clock}'s system clocks, whatever their zone. Such a clock is read
   * through {@link System#nanoTime()}, without a lock or an {@link Instant} per reading; any other
   * source is an injected one.
   */
  static boolean isSystem(InstantSource source) {
    return source == InstantSource.system()
        || source.getClass() == java.time.Clock.systemUTC().getClass();
  }

  /** The monotonic count, in nanoseconds; never goes back. */
  long nanos() {
    if (system) {
      return startEpochNanos + (System.nanoTime() - startNanoTime);
    }
    synchronized (this) {
      // read under the lock: a reading taken before another thread's would step back
      long wall = toNanos(source.instant());
      if (wall > lastWall) {
        // both within ±LIMIT, so the difference fits; the sum is kept within LIMIT
        lastCount = Math.min(LIMIT, lastCount + Math.min(wall - lastWall, LIMIT - lastCount));
      }
      lastWall = wall;
      return lastCount;
    }
  }

  /** The wall-clock instant, for records and views. */
  Instant instant() {
    return source.instant();
  }

  /** Nanoseconds from the epoch, kept within {@code ±}{@link #LIMIT}. */
  static long toNanos(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds >= LIMIT / 1_000_000_000L) {
      return LIMIT;
    }
    if (seconds <= -LIMIT / 1_000_000_000L) {
      return -LIMIT;
    }
    return seconds * 1_000_000_000L + instant.getNano();
  }

  /** The instant a reading of {@link #nanos()} stands for. */
  static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }
}
