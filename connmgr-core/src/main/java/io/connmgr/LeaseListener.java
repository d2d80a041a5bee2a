package io.connmgr;

/**
 * Called when a round is about to close a connection whose lease elapsed without being released.
 * Extending (within the limits) spares the connection this round; releasing lets it go, and is the
 * moment for a compensating action such as connecting to another peer. Throwing counts as release.
 */
@FunctionalInterface
public interface LeaseListener {

  LeaseDecision onExpiry(Lease lease);

  /**
   * A listener that always releases, always the same instance. A lease with it ends without a call
   * once it elapsed: the manager's next upkeep pass ({@link ConnectionManager#maintain()}) releases
   * it, as would any round that found it, so a protocol may leave such leases to expire.
   */
  static LeaseListener releasing() {
    return AlwaysRelease.INSTANCE;
  }
}
