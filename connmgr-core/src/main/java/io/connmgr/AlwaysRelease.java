package io.connmgr;

/**
 * The one listener {@link LeaseListener#releasing()} hands out: one instance, so the manager knows
 * a lease with it needs no call to end once it elapsed.
 */
enum AlwaysRelease implements LeaseListener {
  INSTANCE;

  @Override
  public LeaseDecision onExpiry(Lease lease) {
    return LeaseDecision.release();
  }
}
