package io.connmgr.internal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The peers a round's closes took their last connection from, which leave the peers map after the
 * round's caller has its report rather than one by one inside the round. Each is already marked
 * removed under its monitor (nobody can use it any more, and a lookup that meets it takes it out of
 * the map itself: see {@link PeerTable#forgetRemoved}); what waits here is only the map's removal,
 * a lock of the entry's bin and a cache miss or two per peer at scale, which go-libp2p's own round
 * leaves to the transport's disconnect notification, and the record of the peer's eviction in the
 * eviction memory, which waits on the entry (it holds this round's {@link #ticket}) and counts at
 * once all the same (see {@link PeerTable#recordEvictionOf}). Filled by the one thread that runs
 * the round, then handed to {@link PeerTable#forgetDeparted} by that thread once the round's caller
 * is released, whichever way the round ended.
 */
final class DepartedPeers {

  /** Records the eviction of a departed peer, from its entry. */
  interface Evictions {
    /** Records the eviction of {@code peer}, whose entry left the table with its tags. */
    void record(PeerEntry peer);
  }

  private final @Nullable Evictions evictions;
  private PeerEntry[] peers = new PeerEntry[64];
  private int size;

  /** What the departed entries hold while their evictions wait; 0 until the table gives one. */
  private int ticket;

  /**
   * @param evictions records the round's evictions of departed peers; null when the round leaves
   *     none to remember (the eviction memory is off, or the manager is shutting down)
   */
  DepartedPeers(@Nullable Evictions evictions) {
    this.evictions = evictions;
  }

  /** What records the round's evictions of departed peers; null when none is remembered. */
  @Nullable Evictions evictions() {
    return evictions;
  }

  /** The ticket the table gave this round's departed entries; 0 while it gave none. */
  int ticket() {
    return ticket;
  }

  void setTicket(int ticket) {
    this.ticket = ticket;
  }

  /** Adds a peer its round's close marked removed; only the round's thread calls this. */
  void add(PeerEntry peer) {
    if (size == peers.length) {
      peers = Arrays.copyOf(peers, size * 2);
    }
    peers[size++] = peer;
  }

  /** How many peers wait to leave the map. */
  int size() {
    return size;
  }

  /** The {@code i}-th peer that waits, for {@link PeerTable#forgetDeparted}. */
  PeerEntry get(int i) {
    return peers[i];
  }

  /** Forgets the peers, once they have left the map and their evictions are recorded. */
  void clear() {
    Arrays.fill(peers, 0, size, null);
    size = 0;
    ticket = 0;
  }
}
