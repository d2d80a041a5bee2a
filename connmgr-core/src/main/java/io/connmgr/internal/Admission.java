package io.connmgr.internal;

import io.connmgr.AdmissionLimit;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionRefusedException;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * The hard limits on new connections. The total cap is kept exact under concurrency by reserving a
 * slot before the connection is recorded; at the cap an inbound newcomer may displace a connection
 * worth less than its peer ({@link Displacement}).
 */
final class Admission {

  private final AdmissionSettings limits;
  private final PeerTable table;
  private final Protections protections;
  private final ListenerBus bus;
  private final AtomicInteger reserved = new AtomicInteger();
  private final AtomicLongArray refusals = new AtomicLongArray(AdmissionLimit.values().length);
  private volatile @Nullable Displacement displacement;

  Admission(AdmissionSettings limits, PeerTable table, Protections protections, ListenerBus bus) {
    this.limits = limits;
    this.table = table;
    this.protections = protections;
    this.bus = bus;
  }

  /** What makes room at the total cap; set once, before the first connection opens. */
  void displaceWith(Displacement displacement) {
    this.displacement = displacement;
  }

  /** Checks every limit but the per-peer cap (checked under the peer's lock) and reserves. */
  void admit(PeerId peer, Direction direction) {
    if (limits.deny().contains(peer)) {
      throw refuse(peer, direction, AdmissionLimit.DENIED, "peer " + peer + " is denied");
    }
    if (direction == Direction.INBOUND
        && limits.maxInbound() > 0
        && table.inbound() >= limits.maxInbound()
        && !bypassesCaps(peer)) {
      throw refuse(
          peer,
          direction,
          AdmissionLimit.INBOUND_SHARE,
          "inbound connections are at " + "their cap of " + limits.maxInbound());
    }
    if (limits.maxConnections() == 0) {
      return; // without a total cap nothing is reserved, and nobody needs to bypass it
    }
    if (bypassesCaps(peer)) {
      reserved.incrementAndGet();
      return;
    }
    if (tryReserve()) {
      return;
    }
    Displacement room = displacement;
    if (direction == Direction.INBOUND && room != null) {
      Displacement.Outcome made = room.displaceLowerThan(peer);
      if (made == Displacement.Outcome.MADE_ROOM && tryReserve()) {
        return;
      }
      if (made != Displacement.Outcome.NO_ROOM) {
        // under way, or made and taken by a connection that came meanwhile: there may be room
        // for this one at its next try, as there was a victim worth less than it
        throw refuse(
            peer,
            direction,
            AdmissionLimit.MAX_CONNECTIONS,
            "at the total cap of "
                + limits.maxConnections()
                + " connections, making room by closing one worth less is under way"
                + (made == Displacement.Outcome.MADE_ROOM ? " (the room made was taken)" : ""),
            Displacement.RETRY_AFTER);
      }
    }
    throw refuse(
        peer,
        direction,
        AdmissionLimit.MAX_CONNECTIONS,
        "at the total cap of " + limits.maxConnections() + " connections");
  }

  /** The per-peer cap for this peer, or 0 when it does not apply. */
  int perPeerCap(PeerId peer) {
    return limits.maxPerPeer() == 0 || bypassesCaps(peer) ? 0 : limits.maxPerPeer();
  }

  /** Gives back the slot of a connection that closed, or that was never recorded. */
  void release() {
    if (limits.maxConnections() > 0) {
      reserved.decrementAndGet();
    }
  }

  ConnectionRefusedException refuse(
      PeerId peer, Direction direction, AdmissionLimit limit, String why) {
    return refuse(peer, direction, limit, why, null);
  }

  /** A refusal, counted and heard by listeners, that says when to retry if known. */
  ConnectionRefusedException refuse(
      PeerId peer,
      Direction direction,
      AdmissionLimit limit,
      String why,
      @Nullable Duration retryAfter) {
    refusals.incrementAndGet(limit.ordinal());
    bus.fire(ListenerEvent.REFUSAL, l -> l.onRefusal(peer, direction, limit));
    return new ConnectionRefusedException(
        peer, limit, "connection from " + peer + " refused (" + limit + "): " + why, retryAfter);
  }

  Map<AdmissionLimit, Long> refusals() {
    Map<AdmissionLimit, Long> counts = new EnumMap<>(AdmissionLimit.class);
    for (AdmissionLimit limit : AdmissionLimit.values()) {
      counts.put(limit, refusals.get(limit.ordinal()));
    }
    return counts;
  }

  /** Allowed and pinned peers bypass the caps; an unverified id never does, whatever it holds. */
  private boolean bypassesCaps(PeerId peer) {
    return peer.isVerified()
        && (limits.allow().contains(peer)
            || protections.isProtected(peer, ConnectionManager.PIN_TAG));
  }

  private boolean tryReserve() {
    for (; ; ) {
      int current = reserved.get();
      if (current >= limits.maxConnections()) {
        return false;
      }
      if (reserved.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }
}
