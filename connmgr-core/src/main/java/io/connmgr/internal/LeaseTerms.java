package io.connmgr.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits every lease is taken and extended within, and the clock they are read against.
 *
 * @param maxLeaseNanos the longest one lease or extension runs
 * @param maxLifetimeNanos the longest a lease lives, extensions included
 */
record LeaseTerms(Clock clock, long maxLeaseNanos, long maxLifetimeNanos) {

  /** {@code d} in nanoseconds, at most the longest lease: no duration, however long, overflows. */
  long cappedNanos(Duration d, String what) {
    Objects.requireNonNull(d, what + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d.compareTo(Duration.ofNanos(maxLeaseNanos)) >= 0 ? maxLeaseNanos : d.toNanos();
  }
}
