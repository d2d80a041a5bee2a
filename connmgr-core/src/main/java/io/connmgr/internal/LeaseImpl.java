package io.connmgr.internal;

import io.connmgr.Lease;
import io.connmgr.LeaseListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A lease on one connection, taken on the connection itself or on one of its streams. */
final class LeaseImpl implements Lease {

  static final LeaseImpl[] NONE = {};

  private final LeaseTerms terms;

  /** The leases held, shared with {@link Leases}, which counts them. */
  private final Set<LeaseImpl> held;

  private final ConnectionEntry connection;
  private final @Nullable StreamEntry stream;
  private final LeaseListener listener;

  /** Its place among its connection's leases: see {@link ConnectionEntry#nextLeaseNumber}. */
  private final long number;

  private final long startNanos;
  private volatile long expiresNanos;
  private volatile boolean released;

  LeaseImpl(
      LeaseTerms terms,
      Set<LeaseImpl> held,
      ConnectionEntry connection,
      @Nullable StreamEntry stream,
      LeaseListener listener,
      long number,
      long startNanos,
      long expiresNanos) {
    this.terms = terms;
    this.held = held;
    this.connection = connection;
    this.stream = stream;
    this.listener = listener;
    this.number = number;
    this.startNanos = startNanos;
    this.expiresNanos = expiresNanos;
  }

  @Override
  public ConnectionEntry connection() {
    return connection;
  }

  @Override
  public Instant startedAt() {
    return Clock.toInstant(startNanos);
  }

  @Override
  public Instant expiresAt() {
    return Clock.toInstant(expiresNanos);
  }

  /** The stream it was taken on; null when taken on the connection itself. */
  @Nullable StreamEntry stream() {
    return stream;
  }

  /** Whom a round asks before closing the connection once the lease elapsed. */
  LeaseListener listener() {
    return listener;
  }

  long number() {
    return number;
  }

  long expiresNanos() {
    return expiresNanos;
  }

  @Override
  public boolean isActive() {
    return activeAt(terms.clock().nanos());
  }

  @Override
  public boolean isReleased() {
    return released;
  }

  @Override
  public boolean extend(Duration more) {
    long nanos = terms.cappedNanos(more, "lease extension");
    return moveExpiry(terms.clock().nanos(), nanos, terms.maxLifetimeNanos());
  }

  @Override
  public Instant latestExpiry() {
    return Clock.toInstant(startNanos + terms.maxLifetimeNanos());
  }

  @Override
  public boolean canExtend(Duration more) {
    long nanos = terms.cappedNanos(more, "lease extension");
    return canMoveExpiry(terms.clock().nanos(), nanos, terms.maxLifetimeNanos());
  }

  @Override
  public void release() {
    if (markReleased()) {
      forget();
    }
  }

  /**
   * Releases it if {@link #releasableAt} holds, checked and marked at once: an extension lands
   * before (and it stays) or after (and finds it released), never in between.
   */
  void releaseIfReleasableAt(long nowNanos) {
    if (markReleasedIfReleasableAt(nowNanos)) {
      forget();
    }
  }

  private synchronized boolean markReleasedIfReleasableAt(long nowNanos) {
    return releasableAt(nowNanos) && markReleased();
  }

  /** Takes the released lease out of its connection and the count. */
  private void forget() {
    synchronized (connection.peerEntry()) {
      connection.removeLease(this);
    }
    held.remove(this);
  }

  boolean activeAt(long nowNanos) {
    return !released && expiresNanos > nowNanos && connection.isOpen();
  }

  /** Elapsed but never released: the round must ask the listener before closing. */
  boolean elapsedAt(long nowNanos) {
    return !released && expiresNanos <= nowNanos;
  }

  /**
   * Elapsed, unreleased, and its listener is {@link LeaseListener#releasing()}: asking it could
   * only release it, so it may be released without a call.
   */
  private boolean releasableAt(long nowNanos) {
    return listener == LeaseListener.releasing() && elapsedAt(nowNanos);
  }

  /** Moves the expiry if the lease is still held and the new expiry is within its lifetime. */
  synchronized boolean moveExpiry(long nowNanos, long moreNanos, long lifetimeNanos) {
    if (!canMoveExpiry(nowNanos, moreNanos, lifetimeNanos)) {
      return false;
    }
    expiresNanos = Math.max(expiresNanos, nowNanos) + moreNanos;
    return true;
  }

  /** Whether {@link #moveExpiry} would succeed with these arguments. */
  synchronized boolean canMoveExpiry(long nowNanos, long moreNanos, long lifetimeNanos) {
    return !released
        && connection.isOpen()
        && Math.max(expiresNanos, nowNanos) + moreNanos - startNanos <= lifetimeNanos;
  }

  /** Marks the lease released; false if it already was. */
  synchronized boolean markReleased() {
    if (released) {
      return false;
    }
    released = true;
    return true;
  }

  @Override
  public String toString() {
    return "Lease[connection "
        + connection.id()
        + (stream == null ? "" : " stream " + stream.id())
        + " until "
        + expiresAt()
        + (released ? " released" : "")
        + "]";
  }
}
