package io.connmgr.internal;

import io.connmgr.PeerId;
import io.connmgr.PeerView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One peer: its tags, decaying values and connections. Its monitor guards every change to it and
 * to its connections' streams and leases; nothing but small pure functions runs under it.
 */
final class PeerEntry extends StatefulEntry implements PeerView {

  private static final ConnectionEntry[] NO_CONNECTIONS = {};
  private static final DecayingValue[] NO_DECAYING = {};
  private static final int BREAKDOWN_KEYS_CAP = 4096;
  private static final Map<String, String> BREAKDOWN_KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();

  final PeerId id;
  final long firstSeenNanos;

  /** Set, under the monitor, when the entry left the table; a caller holding it must retry. */
  boolean removed;

  /**
   * Whether the entry is in the table's set of temporaries (no connection yet); changed under the
   * monitor. Lets the table skip that set for peers that never were temporary: hashing an entry
   * for it first under its monitor would inflate the monitor.
   */
  boolean temporary;

  /**
   * Whether the peer is protected under any tag: a copy of {@link Protections} kept on the entry
   * so a round reads a field instead of looking each peer up (a cache miss per peer at scale).
   * Written under the monitor only, first when the entry is first locked (before it can have a
   * connection) and again after each protect or unprotect, each time read from the protections
   * after their change, so the last write always reflects the latest change.
   */
  volatile boolean protectedFlag;

  /** Whether {@link #protectedFlag} was read from the protections yet; under the monitor. */
  boolean protectionKnown;

  /** Plain tags in the order first set; null while there are none. Each operation is O(1). */
  private @Nullable LinkedHashMap<String, Integer> plainTags;
  /** Decaying values in the order first bumped; null while there are none. */
  private @Nullable LinkedHashMap<DecayingTagImpl, DecayingValue> decaying;
  /** The exact sum of every tag's value, kept up to date by each change; cannot overflow. */
  private long tagSum;
  private volatile ConnectionEntry[] connections = NO_CONNECTIONS;
  /** {@link #tagSum} saturated to the int range. */
  private volatile int tagValue;

  PeerEntry(PeerId id, long firstSeenNanos) {
    this.id = id;
    this.firstSeenNanos = firstSeenNanos;
    // Entries go into identity-hashed sets (temporaries, a decaying tag's holders), sometimes
    // under their own monitor; the first identity hash of a locked object inflates its monitor,
    // which then makes every later lock of the entry slower. Taking the hash now, unlocked, costs
    // nothing later.
    System.identityHashCode(this);
  }

  // --- PeerView -------------------------------------------------------------------------------

  @Override
  public PeerId id() {
    return id;
  }

  @Override
  public int tagValue() {
    return tagValue;
  }

  @Override
  public synchronized Map<String, Integer> tags() {
    Map<String, Integer> all = plainTags == null ? new LinkedHashMap<>()
        : new LinkedHashMap<>(plainTags);
    if (decaying != null) {
      for (DecayingValue v : decaying.values()) {
        // a decaying tag registered under a name a peer already uses as a plain tag: both count,
        // so both show, summed, and the tags always add up to the tag value
        all.merge(v.tag.name(), v.value, PeerEntry::saturatedSum);
      }
    }
    return all;
  }

  /**
   * The tags as the first part of an eviction's breakdown ({@code tag:NAME} to weight), built
   * straight from the arrays rather than through {@link #tags()}.
   */
  synchronized Map<String, Double> tagBreakdown() {
    int size = (plainTags == null ? 0 : plainTags.size())
        + (decaying == null ? 0 : decaying.size());
    Map<String, Double> breakdown = new LinkedHashMap<>(Math.max(4, size * 2));
    if (plainTags != null) {
      plainTags.forEach((name, weight) -> breakdown.put(breakdownKey(name), (double) weight));
    }
    if (decaying != null) {
      for (DecayingValue v : decaying.values()) {
        breakdown.merge(breakdownKey(v.tag.name()), (double) v.value, Double::sum);
      }
    }
    return breakdown;
  }

  /**
   * {@code "tag:" + name}, from a small cache: a round builds one breakdown per closed connection,
   * and tag names are few. Past the cap (a runaway number of distinct names) it just builds them.
   */
  private static String breakdownKey(String tag) {
    String key = BREAKDOWN_KEYS.get(tag);
    if (key == null) {
      key = "tag:" + tag;
      if (BREAKDOWN_KEYS.size() < BREAKDOWN_KEYS_CAP) {
        BREAKDOWN_KEYS.putIfAbsent(tag, key);
      }
    }
    return key;
  }

  @Override
  public List<ConnectionEntry> connections() {
    return List.of(connections);
  }

  Instant firstSeen() {
    return Clock.toInstant(firstSeenNanos);
  }

  @Override
  public String toString() {
    return "Peer[" + id + "]";
  }

  // --- connections (callers hold the monitor for changes) -------------------------------------

  ConnectionEntry[] connectionArray() {
    return connections;
  }

  boolean hasConnections() {
    return connections.length > 0;
  }

  void addConnection(ConnectionEntry c) {
    connections = CopyOnWrite.append(connections, c);
  }

  void removeConnection(ConnectionEntry c) {
    int i = CopyOnWrite.indexOf(connections, c);
    if (i >= 0) {
      connections = connections.length == 1 ? NO_CONNECTIONS : CopyOnWrite.removeAt(connections, i);
    }
  }

  // --- plain tags (callers hold the monitor) --------------------------------------------------

  /** The weight of a plain tag, or {@code absent} if the peer does not carry it. */
  int weight(String name, int absent) {
    Integer weight = plainTags == null ? null : plainTags.get(name);
    return weight == null ? absent : weight;
  }

  void setTag(String name, int weight) {
    if (plainTags == null) {
      plainTags = new LinkedHashMap<>();
    }
    Integer old = plainTags.put(name, weight);
    addToSum((long) weight - (old == null ? 0 : old));
  }

  void removeTag(String name) {
    Integer old = plainTags == null ? null : plainTags.remove(name);
    if (old != null) {
      if (plainTags.isEmpty()) {
        plainTags = null;
      }
      addToSum(-(long) old);
    }
  }

  // --- decaying tags (callers hold the monitor) -----------------------------------------------

  @Nullable DecayingValue decayingValue(DecayingTagImpl tag) {
    return decaying == null ? null : decaying.get(tag);
  }

  DecayingValue addDecaying(DecayingTagImpl tag, long nowNanos) {
    if (decaying == null) {
      decaying = new LinkedHashMap<>();
    }
    DecayingValue v = new DecayingValue(tag, nowNanos);
    decaying.put(tag, v);
    return v;
  }

  /** Sets one decaying value and the tag value with it. */
  void setDecayingValue(DecayingValue v, int value) {
    addToSum((long) value - v.value);
    v.value = value;
  }

  boolean removeDecaying(DecayingTagImpl tag) {
    DecayingValue v = decaying == null ? null : decaying.remove(tag);
    if (v == null) {
      return false;
    }
    if (decaying.isEmpty()) {
      decaying = null;
    }
    addToSum(-(long) v.value);
    return true;
  }

  /** The decaying tags this peer carries, for clean-up when it leaves. */
  DecayingValue[] decayingValues() {
    return decaying == null ? NO_DECAYING : decaying.values().toArray(NO_DECAYING);
  }

  private static int saturatedSum(int a, int b) {
    return saturated((long) a + b);
  }

  private static int saturated(long sum) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum));
  }

  /**
   * Moves the exact sum, then publishes it saturated. The sum of at most 2^31 int weights stays
   * far inside a long, so the tag value saturates exactly as a sum taken afresh would.
   */
  private void addToSum(long delta) {
    tagSum += delta;
    tagValue = saturated(tagSum);
  }

  /** One decaying tag's value on this peer; guarded by the peer's monitor. */
  static final class DecayingValue {
    final DecayingTagImpl tag;
    int value;
    long lastBumpNanos;

    DecayingValue(DecayingTagImpl tag, long nowNanos) {
      this.tag = tag;
      this.lastBumpNanos = nowNanos;
    }
  }
}
