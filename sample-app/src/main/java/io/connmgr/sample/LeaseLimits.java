package io.connmgr.sample;

import io.connmgr.ConnectionManager;
import io.connmgr.Lease;
import io.connmgr.autoconfigure.ConnmgrProperties;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Answers, inside a lease listener, whether an extension would be granted: the manager counts an
 * extension past {@code connmgr.max-lease-lifetime} as a release, and a protocol that wants to
 * act on a release (prune a mesh peer, find another provider) must know before it answers.
 */
@Component
public class LeaseLimits {

  private final ConnectionManager manager;
  private final Duration maxLease;
  private final Duration maxLifetime;

  /** Limits from the starter's {@code connmgr.*} properties. */
  public LeaseLimits(ConnectionManager manager, ConnmgrProperties properties) {
    this.manager = manager;
    this.maxLease = properties.maxLease();
    this.maxLifetime = properties.maxLeaseLifetime();
  }

  /** Whether extending {@code lease} by {@code more} now stays within its lifetime. */
  public boolean canExtend(Lease lease, Duration more) {
    Instant now = manager.now();
    Instant from = lease.expiresAt().isAfter(now) ? lease.expiresAt() : now;
    Duration step = more.compareTo(maxLease) > 0 ? maxLease : more;
    return !from.plus(step).isAfter(lease.startedAt().plus(maxLifetime));
  }
}
