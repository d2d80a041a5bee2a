package io.connmgr.internal;

import java.util.Arrays;

/**
 * The peers a round's closes took their last connection from, which leave the peers map after the
 * round's caller has its report rather than one by one inside the round. Each is already marked
 * removed under its monitor (nobody can use it any more, and a lookup that meets it takes it out of
 * the map itself: see {@link PeerTable#forgetRemoved}); what waits here is only the map's removal,
 * a lock of the entry's bin and a cache miss or two per peer at scale, which go-libp2p's own round
 * leaves to the transport's disconnect notification, and the record of the peer's eviction in the
 * eviction memory, which waits on the entry and counts at once all the same (see {@link
 * PeerEntry#markRemovedWithEviction}). Filled by the one thread that runs the round, then handed to
 * {@link PeerTable#forgetDeparted} by that thread once the round's caller is released, whichever
 * way the round ended.
 */
final class DepartedPeers {

  private PeerEntry[] peers = new PeerEntry[64];
  private int size;

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

  /** Forgets the peers, once they have left the map. */
  void clear() {
    Arrays.fill(peers, 0, size, null);
    size = 0;
  }
}
