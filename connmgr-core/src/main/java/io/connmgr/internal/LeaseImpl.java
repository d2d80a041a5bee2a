package io.connmgr.internal;

import io.connmgr.ConnectionView;
import io.connmgr.Lease;
import io.connmgr.LeaseListener;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A lease on one connection, taken on the connection itself or on one of its streams. */
final class LeaseImpl implements Lease {

  static final LeaseImpl[] NONE = {};

  private final Leases owner;
  final ConnectionEntry connection;
  final @Nullable StreamEntry stream;
  final LeaseListener listener;
  final long startNanos;
  private volatile long expiresNanos;
  private volatile boolean released;

  LeaseImpl(Leases owner, ConnectionEntry connection, @Nullable StreamEntry stream,
      LeaseListener listener, long startNanos, long expiresNanos) {
    this.owner = owner;
    this.connection = connection;
    this.stream = stream;
    this.listener = listener;
    this.startNanos = startNanos;
    this.expiresNanos = expiresNanos;
  }

  @Override
  public ConnectionView connection() {
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

  long expiresNanos() {
    return expiresNanos;
  }

  @Override
  public boolean isActive() {
    return activeAt(owner.nowNanos());
  }

  @Override
  public boolean isReleased() {
    return released;
  }

  @Override
  public boolean extend(Duration more) {
    return owner.extend(this, more);
  }

  @Override
  public Instant latestExpiry() {
    return Clock.toInstant(startNanos + owner.maxLifetimeNanos());
  }

  @Override
  public boolean canExtend(Duration more) {
    return owner.canExtend(this, more);
  }

  @Override
  public void release() {
    owner.release(this);
  }

  boolean activeAt(long nowNanos) {
    return !released && expiresNanos > nowNanos && connection.isOpen();
  }

  /** Elapsed but never released: the round must ask the listener before closing. */
  boolean elapsedAt(long nowNanos) {
    return !released && expiresNanos <= nowNanos;
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
    return !released && connection.isOpen()
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
    return "Lease[connection " + connection.id + (stream == null ? "" : " stream " + stream.id)
        + " until " + expiresAt() + (released ? " released" : "") + "]";
  }
}
