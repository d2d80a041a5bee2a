package io.connmgr;

import java.time.Duration;
import java.time.Instant;

/**
 * A bounded claim on a connection: while active, no round closes it. Its length is capped by the
 * manager's maximum lease, and extensions by its maximum lifetime.
 */
public interface Lease {

  /** The connection this lease holds. */
  ConnectionView connection();

  Instant startedAt();

  Instant expiresAt();

  /** Neither released, nor elapsed, and its connection still open. */
  boolean isActive();

  /**
   * Whether {@link #release()} was called (or the lease's stream or connection closed, or it
   * elapsed with {@link LeaseListener#releasing()} and upkeep released it).
   */
  boolean isReleased();

  /**
   * Moves the expiry to max(expiry, now) + min(more, max lease).
   *
   * @return false, changing nothing, if that would end past the lease's start plus the maximum
   *     lifetime, or if the lease was released
   */
  boolean extend(Duration more);

  /** The latest expiry extensions can reach: the start plus the manager's maximum lifetime. */
  Instant latestExpiry();

  /**
   * Whether {@link #extend extend(more)} would succeed now: what a listener asks before it answers,
   * so it can act on a release (find another provider, prune a mesh peer) when not.
   */
  boolean canExtend(Duration more);

  /** Gives the connection back. Idempotent; a released lease never calls its listener. */
  void release();
}
