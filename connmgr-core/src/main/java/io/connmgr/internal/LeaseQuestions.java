package io.connmgr.internal;

import io.connmgr.LeaseDecision;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Asks the listener of each elapsed, unreleased lease whether to extend it, before a round closes
 * its connection. A listener that did not answer within the callback budget is not asked again
 * until it does; its lease keeps the connection meanwhile.
 */
final class LeaseQuestions {

  private static final System.Logger LOG = System.getLogger(LeaseQuestions.class.getName());

  private final ListenerBus bus;
  private final AtomicLong extensions = new AtomicLong();

  /** Leases whose listener's call is overdue, with the count of such calls (see #count). */
  private final Map<LeaseImpl, Integer> hung = new ConcurrentHashMap<>();

  private volatile @Nullable LeaseImpl asking;

  LeaseQuestions(ListenerBus bus) {
    this.bus = bus;
  }

  /** Whether a lease of {@code c} holds it: its listener extended it, or is still answering. */
  boolean extended(ConnectionEntry c, long now, CallWatch watch) {
    boolean extended = false;
    for (LeaseImpl lease : c.leaseArray()) {
      if (!lease.elapsedAt(now)) {
        continue;
      }
      if (hung.getOrDefault(lease, 0) > 0) {
        extended = true;
        continue;
      }
      asking = lease;
      extended |=
          watch.call(
              "the lease listener of connection ",
              c.id(),
              () -> ask(lease),
              () -> count(lease, -1));
    }
    return extended;
  }

  private boolean ask(LeaseImpl lease) {
    LeaseDecision decision;
    try {
      decision = lease.listener().onExpiry(lease);
    } catch (Throwable e) {
      LOG.log(
          Level.WARNING, "connmgr lease listener for " + lease + " threw; counts as release", e);
      decision = LeaseDecision.release();
    }
    boolean kept =
        decision != null
            && decision.extension().isPresent()
            && lease.extend(decision.extension().get());
    if (kept) {
      extensions.incrementAndGet();
    } else {
      lease.release();
    }
    LeaseDecision seen = decision == null ? LeaseDecision.release() : decision;
    bus.fire(ListenerEvent.LEASE_EXPIRY, l -> l.onLeaseExpiry(lease, seen, kept));
    return kept;
  }

  /** The listener being asked when a watch gave up is overdue: its lease holds until it answers. */
  void askingIsOverdue() {
    LeaseImpl lease = asking;
    if (lease != null) {
      count(lease, 1);
    }
  }

  /** Counts an overdue call up or its return down; the return may come first. */
  private void count(LeaseImpl lease, int delta) {
    hung.merge(lease, delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  /** Lease extensions granted by listeners when a round asked, over the manager's life. */
  long extensions() {
    return extensions.get();
  }
}
