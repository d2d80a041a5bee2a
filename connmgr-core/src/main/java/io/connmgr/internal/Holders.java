package io.connmgr.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The peers carrying a value of one decaying tag. A decay pass walks them all: they sit in an array
 * (each peer's place in an index beside it, so that one leaves in constant time), and a pass walks
 * a copy taken under the lock, not a hash table's nodes: in a profile of W5 (one pass over 10 000
 * holders) walking a {@code ConcurrentHashMap}'s key set took 31 % of the pass. A peer that comes
 * while a pass runs waits for the next; one that leaves is still walked, and skipped there (it has
 * no value any more).
 */
final class Holders {

  private static final int MIN_CAPACITY = 16;

  private PeerEntry[] items = new PeerEntry[MIN_CAPACITY];
  private int size;
  private final Map<PeerEntry, Integer> places = new HashMap<>();

  /** Adds {@code peer} unless it is a holder already. */
  synchronized void add(PeerEntry peer) {
    if (places.putIfAbsent(peer, size) != null) {
      return;
    }
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    items[size++] = peer;
  }

  /** Removes {@code peer} if it is a holder; the last holder takes its place. */
  synchronized void remove(PeerEntry peer) {
    Integer place = places.remove(peer);
    if (place == null) {
      return;
    }
    int last = --size;
    PeerEntry moved = items[last];
    items[last] = null;
    if (place != last) {
      items[place] = moved;
      places.put(moved, place);
    }
    if (items.length > MIN_CAPACITY && size < items.length / 4) {
      items = Arrays.copyOf(items, items.length / 2);
    }
  }

  synchronized void clear() {
    items = new PeerEntry[MIN_CAPACITY];
    size = 0;
    places.clear();
  }

  /** The holders now: a copy, for a pass to walk while peers come and go. */
  synchronized PeerEntry[] snapshot() {
    return Arrays.copyOf(items, size);
  }
}
