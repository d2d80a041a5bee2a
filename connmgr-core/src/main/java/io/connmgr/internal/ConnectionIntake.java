package io.connmgr.internal;

import io.connmgr.AdmissionLimit;
import io.connmgr.Closer;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;

/**
 * Takes new connections in: the reconnect backoff of recently evicted peers, the hard limits, the
 * record in the table, and the listeners' event. What {@link
 * io.connmgr.ConnectionManager#connectionOpened} does.
 */
public final class ConnectionIntake {

  private final ManagerSettings settings;
  private final Clock clock;
  private final OpenState open;
  private final PeerTable table;
  private final Protections protections;
  private final Admission admission;
  private final ReturningPeers returning;
  private final Closes closes;
  private final ListenerBus bus;
  private final TransportSide transport;

  ConnectionIntake(
      ManagerSettings settings,
      Clock clock,
      OpenState open,
      PeerTable table,
      Protections protections,
      Admission admission,
      ReturningPeers returning,
      Closes closes,
      ListenerBus bus,
      TransportSide transport) {
    this.settings = settings;
    this.clock = clock;
    this.open = open;
    this.table = table;
    this.protections = protections;
    this.admission = admission;
    this.returning = returning;
    this.closes = closes;
    this.bus = bus;
    this.transport = transport;
  }

  /** See {@link io.connmgr.ConnectionManager#connectionOpened}. */
  public ManagedConnection connectionOpened(
      PeerId peer, Direction direction, String remoteAddress, Closer closer) {
    open.ensureOpen();
    long now = clock.nanos();
    EvictionMemory.Entry recalled = returning.recall(peer, now);
    if (recalled != null && direction == Direction.INBOUND && !exemptFromBackoff(peer)) {
      ReturningPeers.Refusal wait =
          returning.refusal(recalled, now, table.connectionCount(), settings.highWater());
      if (wait != null) {
        throw admission.refuse(
            peer, direction, AdmissionLimit.RECENTLY_EVICTED, wait.why(), wait.retryAfter());
      }
    }
    admission.admit(peer, direction);
    ConnectionEntry entry;
    try {
      if (recalled != null) {
        returning.giveBack(table, peer, now);
      }
      entry =
          table.open(
              peer,
              direction,
              remoteAddress,
              closer,
              admission.perPeerCap(peer),
              recalled != null,
              now);
    } catch (Throwable e) { // unchecked only (precise rethrow), whatever its type
      admission.release();
      throw e;
    }
    if (entry == null) {
      admission.release();
      throw admission.refuse(
          peer,
          direction,
          AdmissionLimit.MAX_PER_PEER,
          "the peer already has " + settings.admission().maxPerPeer() + " connections");
    }
    if (open.isClosed()) {
      // close() began while this one was being recorded and may have passed it by: the
      // transport closes it, as it would a refused one
      closes.transportClosed(entry);
      open.ensureOpen();
    }
    if (bus.hears(ListenerEvent.CONNECTION_OPENED)) {
      bus.fire(ListenerEvent.CONNECTION_OPENED, ConnectionEvents.opened(entry));
    }
    return new ConnectionHandle(transport, entry);
  }

  /** Pinned, allowed and otherwise protected peers never wait out a reconnect backoff. */
  private boolean exemptFromBackoff(PeerId peer) {
    return settings.admission().allow().contains(peer) || protections.isProtected(peer, null);
  }
}
