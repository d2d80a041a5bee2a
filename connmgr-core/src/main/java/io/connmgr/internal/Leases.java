package io.connmgr.internal;

import io.connmgr.LeaseListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Takes leases within the configured limits, releases a closing connection's and the elapsed ones
 * no listener needs to be asked about, and counts them.
 */
final class Leases {

  /**
   * The most leases one connection holds at once. Far above any transport's limit on concurrent
   * streams (HTTP/2 and yamux default to 100 to 1000), so only leases never released nor left to
   * expire with {@link LeaseListener#releasing()} reach it; it keeps one connection's leases to
   * about 20 MB.
   */
  static final int MAX_PER_CONNECTION = 1 << 17;

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
    synchronized (connection.peerEntry()) {
      if (!connection.isOpen()) {
        throw new IllegalStateException("connection " + connection.id() + " is closed");
      }
      if (stream != null && !stream.isOpen()) {
        throw new IllegalStateException("stream " + stream.id() + " is closed");
      }
      makeRoom(connection, now);
      LeaseImpl lease =
          new LeaseImpl(
              terms,
              held,
              connection,
              stream,
              listener,
              connection.nextLeaseNumber(),
              now,
              now + length);
      // counted under the peer's monitor, as the connection's close releases it under that
      // monitor: counted after it, a lease taken during a close would stay counted for good
      held.add(lease);
      connection.addLease(lease);
      return lease;
    }
  }

  /**
   * Makes sure {@code connection} holds fewer than {@link #MAX_PER_CONNECTION} leases, releasing
   * its releasable ones when it holds that many (upkeep may not have run since they elapsed);
   * caller holds the peer.
   */
  private static void makeRoom(ConnectionEntry connection, long now) {
    if (connection.leaseCount() < MAX_PER_CONNECTION) {
      return;
    }
    releaseReleasable(connection.leases(), now);
    if (connection.leaseCount() >= MAX_PER_CONNECTION) {
      throw new IllegalStateException(
          "connection "
              + connection.id()
              + " holds "
              + MAX_PER_CONNECTION
              + " leases, the most one connection may hold: release the leases done with; an"
              + " elapsed lease stays until a round asks its listener, unless that listener is"
              + " LeaseListener.releasing()");
    }
  }

  /**
   * Releases every elapsed lease whose listener is {@link LeaseListener#releasing()}: a round that
   * found one would only release it. Upkeep's pass, so that leases left to expire leave.
   */
  void releaseElapsed(long now) {
    releaseReleasable(held, now);
  }

  private static void releaseReleasable(Iterable<LeaseImpl> leases, long now) {
    for (LeaseImpl lease : leases) {
      lease.releaseIfReleasableAt(now);
    }
  }

  /** Releases every lease of a closing connection (or of one stream); caller holds the peer. */
  void releaseAll(ConnectionEntry connection, @Nullable StreamEntry onlyStream) {
    if (connection.leaseCount() == 0 || (onlyStream != null && onlyStream.leaseCount() == 0)) {
      // most connections never held one, and most streams close holding none (a stream's lease
      // is released when its work is done): their close walks no set at all
      return;
    }
    for (LeaseImpl lease : connection.leases()) {
      if (onlyStream == null || lease.stream() == onlyStream) {
        lease.markReleased();
        connection.removeLease(lease);
        held.remove(lease);
        if (onlyStream != null && onlyStream.leaseCount() == 0) {
          return; // the stream's last: the rest of the walk would find none of its
        }
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
