package io.connmgr.internal;

import io.connmgr.LeaseListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Takes leases within the configured limits, releases a closing connection's, and counts them. */
final class Leases {

  private final LeaseTerms terms;
  private final Set<LeaseImpl> held = ConcurrentHashMap.newKeySet();

  Leases(Clock clock, Duration maxLease, Duration maxLifetime) {
    this.terms = new LeaseTerms(clock, maxLease.toNanos(), maxLifetime.toNanos());
  }

  LeaseImpl take(
      ConnectionEntry connection,
      @Nullable StreamEntry stream,
      Duration duration,
      LeaseListener listener) {
    Objects.requireNonNull(listener, "listener");
    long length = terms.cappedNanos(duration, "lease duration");
    long now = terms.clock().nanos();
    LeaseImpl lease = new LeaseImpl(terms, held, connection, stream, listener, now, now + length);
    synchronized (connection.peerEntry()) {
      if (!connection.isOpen()) {
        throw new IllegalStateException("connection " + connection.id() + " is closed");
      }
      if (stream != null && !stream.isOpen()) {
        throw new IllegalStateException("stream " + stream.id() + " is closed");
      }
      // counted under the peer's monitor, as the connection's close releases it under that
      // monitor: counted after it, a lease taken during a close would stay counted for good
      held.add(lease);
      connection.addLease(lease);
    }
    return lease;
  }

  /** Releases every lease of a closing connection (or of one stream); caller holds the peer. */
  void releaseAll(ConnectionEntry connection, @Nullable StreamEntry onlyStream) {
    for (LeaseImpl lease : connection.leaseArray()) {
      if (onlyStream == null || lease.stream() == onlyStream) {
        lease.markReleased();
        connection.removeLease(lease);
        held.remove(lease);
      }
    }
  }

  /** Leases neither released nor elapsed. */
  int activeCount() {
    long now = terms.clock().nanos();
    int n = 0;
    for (LeaseImpl lease : held) {
      if (lease.activeAt(now)) {
        n++;
      }
    }
    return n;
  }
}
