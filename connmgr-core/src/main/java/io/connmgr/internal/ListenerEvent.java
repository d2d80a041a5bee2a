package io.connmgr.internal;

import io.connmgr.AdmissionLimit;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionView;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.Lease;
import io.connmgr.LeaseDecision;
import io.connmgr.PeerId;
import io.connmgr.RoundScores;
import io.connmgr.TrimReport;
import java.lang.reflect.Method;

/**
 * The kinds of event a {@link ConnectionManagerListener} hears, one per method. A listener that
 * leaves a method at its default (which does nothing) is not sent that kind: the starter's metrics
 * hear a round's evictions but not its closes, so a round of 50 000 closes queues 50 000 events for
 * them instead of 100 000, and a connect or a disconnect queues none.
 */
enum ListenerEvent {
  CONNECTION_OPENED("onConnectionOpened", ConnectionView.class),
  CONNECTION_CLOSED("onConnectionClosed", ConnectionView.class),
  EVICTION("onEviction", EvictionRecord.class),
  CLOSE_FAILURE("onCloseFailure", ConnectionView.class, Exception.class),
  ROUND("onRound", TrimReport.class),
  ROUND_SCORES("onRoundScores", RoundScores.class),
  LEASE_EXPIRY("onLeaseExpiry", Lease.class, LeaseDecision.class, boolean.class),
  VETO("onVeto", String.class, ConnectionView.class, String.class),
  PROTECTION_CHANGED("onProtectionChanged", PeerId.class, String.class, boolean.class),
  REFUSAL("onRefusal", PeerId.class, Direction.class, AdmissionLimit.class);

  private final String method;
  private final Class<?>[] parameters;

  ListenerEvent(String method, Class<?>... parameters) {
    this.method = method;
    this.parameters = parameters;
  }

  /**
   * Whether {@code listener} hears this kind: its class, or a class or interface it inherits from,
   * overrides the method. A listener whose methods cannot be looked up hears every kind.
   */
  boolean heardBy(ConnectionManagerListener listener) {
    try {
      Method m = listener.getClass().getMethod(method, parameters);
      return m.getDeclaringClass() != ConnectionManagerListener.class;
    } catch (NoSuchMethodException | SecurityException e) {
      return true;
    }
  }

  /** This kind's bit in a set of kinds held as an int. */
  int bit() {
    return 1 << ordinal();
  }
}
