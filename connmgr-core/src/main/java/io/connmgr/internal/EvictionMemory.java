package io.connmgr.internal;

import io.connmgr.PeerId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The peers the manager evicted recently: for each, when it was last evicted, how many times it was
 * evicted while remembered, and the reconnect backoff that earned it.
 *
 * <p>Bounded twice: a peer is forgotten once a whole window has passed since its last eviction, and
 * when the memory is full the peer evicted longest ago goes first. A concurrent index holds each
 * peer's current entry; a queue holds every eviction in the order they happened, those replaced
 * since by a newer eviction of the same peer included, so both forgettings take the oldest eviction
 * from the front and forget its peer only if that eviction is still the peer's current one. An
 * eviction costs one index update and one queue append (and, when full, one index removal); the
 * queue is compacted once it holds twice the capacity, so every operation is O(1) amortized. Times
 * are nanoseconds of the manager's clock, compared only by difference.
 *
 * <p>The backoff is {@code firstBackoff} for a peer's first eviction and doubles with each further
 * eviction while the peer is remembered, never beyond the window. All methods are thread-safe.
 * Every connection that opens asks {@link #recall}, so a lookup reads the index without locking;
 * changes hold the memory's lock and call nothing else.
 */
final class EvictionMemory {

  private final int capacity;
  private final long windowNanos;
  private final long firstBackoffNanos;

  /**
   * Peer to its current entry; changed only under this. Keyed by {@link PeerKey}, whose hash was
   * taken when the peer's entry was built: forgetting the peer evicted longest ago reads neither
   * its id nor the id's string, long gone from the cache by then.
   */
  private final ConcurrentHashMap<PeerKey, Entry> index;

  /** Every eviction still possibly current, oldest first; guarded by this. */
  private final ArrayDeque<Entry> order = new ArrayDeque<>();

  /**
   * Set at the first eviction, and never cleared: lets a connect skip the index while nobody was
   * ever evicted. A field of its own, not {@code index.isEmpty()}: that sums the map's counters,
   * and took 4 % of a connect's time (cache misses) in a profile of W3 on two threads.
   */
  private volatile boolean remembersAny;

  /**
   * A memory of at most {@code capacity} peers (0: remembers nothing), each for {@code windowNanos}
   * after its last eviction.
   */
  EvictionMemory(int capacity, long windowNanos, long firstBackoffNanos) {
    if (capacity < 0 || windowNanos <= 0 || firstBackoffNanos <= 0) {
      throw new IllegalArgumentException(
          "capacity "
              + capacity
              + ", window "
              + windowNanos
              + " ns, first backoff "
              + firstBackoffNanos
              + " ns");
    }
    this.capacity = capacity;
    // sized for the capacity (up to 65 536 peers) up front, the table allocated at the first
    // eviction: a round that evicts thousands would otherwise pay for growing it step by step, 4 %
    // of a round of 5 000 closes in a profile
    this.index = new ConcurrentHashMap<>(Math.max(1, Math.min(capacity, 1 << 16)));
    this.windowNanos = windowNanos;
    this.firstBackoffNanos = Math.min(firstBackoffNanos, windowNanos);
  }

  /** Whether this memory remembers anything at all. */
  boolean enabled() {
    return capacity > 0;
  }

  /**
   * Records an eviction of {@code peer} and returns its entry: its count and backoff grow if it was
   * still remembered, and start over if not.
   *
   * @param saved what to give the peer back when it reconnects, or null for nothing
   */
  synchronized @Nullable Entry evicted(
      PeerKey peer, long nowNanos, Instant at, @Nullable SavedPeer saved) {
    if (capacity == 0) {
      return null;
    }
    forgetExpired(nowNanos);
    Entry previous = index.get(peer);
    int times = previous == null ? 1 : saturatedIncrement(previous.times());
    Entry entry = new Entry(peer, nowNanos, at, times, backoffAfter(times), saved);
    index.put(peer, entry);
    if (!remembersAny) {
      remembersAny = true;
    }
    order.addLast(entry);
    if (previous == null && index.size() > capacity) {
      forgetOldest();
    }
    if (order.size() > 2 * capacity) {
      order.removeIf(e -> !isCurrent(e));
    }
    return entry;
  }

  /** The peer's entry if it was evicted less than a window ago; null otherwise. */
  @Nullable Entry recall(PeerId peer, long nowNanos) {
    if (!remembersAny) {
      return null; // nobody evicted yet: a connect pays no hash lookup here
    }
    Entry entry = index.get(PeerKey.of(peer));
    if (entry == null) {
      return null;
    }
    if (entry.expiredAt(nowNanos, windowNanos)) {
      forget(entry);
      return null;
    }
    return entry;
  }

  /** Forgets an expired entry's peer, unless a newer eviction replaced it meanwhile. */
  private synchronized void forget(Entry expired) {
    forgetIfCurrent(expired);
  }

  /** Whether {@code e} is its peer's current eviction. */
  private boolean isCurrent(Entry e) {
    return index.get(e.peer) == e;
  }

  /** Forgets {@code e}'s peer if {@code e} is still its current eviction; whether it did. */
  private boolean forgetIfCurrent(Entry e) {
    return index.remove(e.peer, e);
  }

  /** Forgets the peer evicted longest ago, skipping the queue's replaced evictions. */
  private void forgetOldest() {
    for (Entry oldest = order.pollFirst(); oldest != null; oldest = order.pollFirst()) {
      if (forgetIfCurrent(oldest)) {
        return;
      }
    }
  }

  /**
   * Hands out what was saved of the peer at its last eviction, once: the entry stays, without it.
   * Null if nothing was saved, or the peer is not remembered.
   */
  synchronized @Nullable SavedPeer takeSaved(PeerId peer, long nowNanos) {
    Entry entry = recall(peer, nowNanos);
    if (entry == null) {
      return null;
    }
    SavedPeer saved = entry.saved;
    entry.saved = null;
    return saved;
  }

  /** How many peers are remembered now, forgetting those past the window first. */
  synchronized int size(long nowNanos) {
    forgetExpired(nowNanos);
    return index.size();
  }

  /** The time a peer stays remembered after its last eviction, in nanoseconds. */
  long windowNanos() {
    return windowNanos;
  }

  /** The backoff earned by the {@code times}-th eviction in a row: doubling, at most a window. */
  long backoffAfter(int times) {
    int doublings = Math.min(times - 1, 62);
    long backoff = firstBackoffNanos;
    for (int i = 0; i < doublings && backoff < windowNanos; i++) {
      backoff = backoff > windowNanos / 2 ? windowNanos : backoff * 2;
    }
    return Math.min(backoff, windowNanos);
  }

  private void forgetExpired(long nowNanos) {
    for (Entry oldest = order.peekFirst();
        oldest != null && oldest.expiredAt(nowNanos, windowNanos);
        oldest = order.peekFirst()) {
      order.pollFirst();
      forgetIfCurrent(oldest);
    }
  }

  private static int saturatedIncrement(int n) {
    return n == Integer.MAX_VALUE ? n : n + 1;
  }

  /**
   * What is remembered of one peer at one eviction; a further eviction replaces it. Equal only to
   * itself: the index holds a peer's current entry, so an entry in the queue is still current
   * exactly when the index maps its peer to it.
   */
  static final class Entry {

    private final PeerKey peer;
    private final long evictedNanos;
    private final Instant evictedAt;
    private final int times;
    private final long backoffNanos;

    /** What to give the peer back when it reconnects, handed out once; guarded by the memory. */
    private @Nullable SavedPeer saved;

    /**
     * @param peer the peer
     * @param evictedNanos when it was last evicted, on the manager's clock
     * @param evictedAt the same instant on the wall clock, for display
     * @param times evictions while remembered
     * @param backoffNanos the backoff the last eviction earned
     * @param saved what to give the peer back when it reconnects; null for nothing
     */
    Entry(
        PeerKey peer,
        long evictedNanos,
        Instant evictedAt,
        int times,
        long backoffNanos,
        @Nullable SavedPeer saved) {
      this.peer = peer;
      this.evictedNanos = evictedNanos;
      this.evictedAt = evictedAt;
      this.times = times;
      this.backoffNanos = backoffNanos;
      this.saved = saved;
    }

    /** When the peer was last evicted, on the wall clock. */
    Instant evictedAt() {
      return evictedAt;
    }

    /** Evictions while remembered. */
    int times() {
      return times;
    }

    /** The backoff the last eviction earned. */
    long backoffNanos() {
      return backoffNanos;
    }

    /** How much of the backoff is left at {@code nowNanos}; 0 once it is over. */
    long backoffLeftNanos(long nowNanos) {
      long elapsed = nowNanos - evictedNanos;
      return elapsed < 0 ? backoffNanos : Math.max(0, backoffNanos - elapsed);
    }

    /** How long until a memory of {@code windowNanos} forgets this entry. */
    long forgottenInNanos(long nowNanos, long windowNanos) {
      long elapsed = Math.max(0, nowNanos - evictedNanos);
      return Math.max(0, windowNanos - elapsed);
    }

    boolean expiredAt(long nowNanos, long windowNanos) {
      return nowNanos - evictedNanos >= windowNanos;
    }
  }
}
