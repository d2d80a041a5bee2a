package io.connmgr.internal;

import io.connmgr.LeaseListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Takes, extends and releases leases within the configured limits, and counts those held. */
final class Leases {

  private final Clock clock;
  private final long maxLeaseNanos;
  private final long maxLifetimeNanos;
  private final Set<LeaseImpl> held = ConcurrentHashMap.newKeySet();

  Leases(Clock clock, Duration maxLease, Duration maxLifetime) {
    this.clock = clock;
    this.maxLeaseNanos = maxLease.toNanos();
    this.maxLifetimeNanos = maxLifetime.toNanos();
  }

  long nowNanos() {
    return clock.nanos();
  }

  LeaseImpl take(ConnectionEntry connection, @Nullable StreamEntry stream, Duration duration,
      LeaseListener listener) {
    Objects.requireNonNull(listener, "listener");
    long length = cappedNanos(duration, "lease duration", maxLeaseNanos);
    long now = clock.nanos();
    LeaseImpl lease = new LeaseImpl(this, connection, stream, listener, now, now + length);
    synchronized (connection.peer) {
      if (!connection.isOpen()) {
        throw new IllegalStateException("connection " + connection.id + " is closed");
      }
      if (stream != null && !stream.open) {
        throw new IllegalStateException("stream " + stream.id + " is closed");
      }
      // counted under the peer's monitor, as the connection's close releases it under that
      // monitor: counted after it, a lease taken during a close would stay counted for good
      held.add(lease);
      connection.addLease(lease);
    }
    return lease;
  }

  boolean extend(LeaseImpl lease, Duration more) {
    long nanos = cappedNanos(more, "lease extension", maxLeaseNanos);
    return lease.moveExpiry(clock.nanos(), nanos, maxLifetimeNanos);
  }

  boolean canExtend(LeaseImpl lease, Duration more) {
    long nanos = cappedNanos(more, "lease extension", maxLeaseNanos);
    return lease.canMoveExpiry(clock.nanos(), nanos, maxLifetimeNanos);
  }

  long maxLifetimeNanos() {
    return maxLifetimeNanos;
  }

  void release(LeaseImpl lease) {
    if (lease.markReleased()) {
      synchronized (lease.connection.peer) {
        lease.connection.removeLease(lease);
      }
      held.remove(lease);
    }
  }

  /** Releases every lease of a closing connection (or of one stream); caller holds the peer. */
  void releaseAll(ConnectionEntry connection, @Nullable StreamEntry onlyStream) {
    for (LeaseImpl lease : connection.leaseArray()) {
      if (onlyStream == null || lease.stream == onlyStream) {
        lease.markReleased();
        connection.removeLease(lease);
        held.remove(lease);
      }
    }
  }

  /** Leases neither released nor elapsed. */
  int activeCount() {
    long now = clock.nanos();
    int n = 0;
    for (LeaseImpl lease : held) {
      if (lease.activeAt(now)) {
        n++;
      }
    }
    return n;
  }

  /** {@code d} in nanoseconds, at most {@code capNanos}: no duration, however long, overflows. */
  private static long cappedNanos(Duration d, String what, long capNanos) {
    Objects.requireNonNull(d, what + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d.compareTo(Duration.ofNanos(capNanos)) >= 0 ? capNanos : d.toNanos();
  }
}
