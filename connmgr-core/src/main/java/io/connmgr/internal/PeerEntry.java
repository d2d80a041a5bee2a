package io.connmgr.internal;

import io.connmgr.PeerId;
import io.connmgr.PeerView;
import java.time.Instant;
import java.util.Arrays;
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

  private String @Nullable [] tagNames;
  private int @Nullable [] tagWeights;
  private DecayingValue @Nullable [] decaying;
  private volatile ConnectionEntry[] connections = NO_CONNECTIONS;
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
    Map<String, Integer> all = plainTags();
    DecayingValue[] values = decaying;
    if (values != null) {
      for (DecayingValue v : values) {
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
    String[] names = tagNames;
    int[] weights = tagWeights;
    DecayingValue[] values = decaying;
    int size = (names == null ? 0 : names.length) + (values == null ? 0 : values.length);
    Map<String, Double> breakdown = new LinkedHashMap<>(Math.max(4, size * 2));
    if (names != null && weights != null) {
      for (int i = 0; i < names.length; i++) {
        breakdown.put(breakdownKey(names[i]), (double) weights[i]);
      }
    }
    if (values != null) {
      for (DecayingValue v : values) {
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

  /** The plain tags (decaying ones left out), in the order they were set; a fresh map. */
  Map<String, Integer> plainTags() {
    Map<String, Integer> plain = new LinkedHashMap<>();
    String[] names = tagNames;
    int[] weights = tagWeights;
    if (names != null && weights != null) {
      for (int i = 0; i < names.length; i++) {
        plain.put(names[i], weights[i]);
      }
    }
    return plain;
  }

  boolean hasTag(String name) {
    return indexOf(name) >= 0;
  }

  /** The weight of a plain tag, or {@code absent} if the peer does not carry it. */
  int weight(String name, int absent) {
    int i = indexOf(name);
    return i < 0 ? absent : tagWeights[i];
  }

  void setTag(String name, int weight) {
    int i = indexOf(name);
    if (i >= 0) {
      tagWeights[i] = weight;
    } else if (tagNames == null) {
      tagNames = new String[] {name};
      tagWeights = new int[] {weight};
    } else {
      tagNames = CopyOnWrite.append(tagNames, name);
      tagWeights = Arrays.copyOf(tagWeights, tagWeights.length + 1);
      tagWeights[tagWeights.length - 1] = weight;
    }
    recomputeValue();
  }

  void removeTag(String name) {
    int i = indexOf(name);
    if (i < 0) {
      return;
    }
    if (tagNames.length == 1) {
      tagNames = null;
      tagWeights = null;
    } else {
      tagNames = CopyOnWrite.removeAt(tagNames, i);
      tagWeights = CopyOnWrite.removeAt(tagWeights, i);
    }
    recomputeValue();
  }

  @SuppressWarnings("StringEquality")
  private int indexOf(String name) {
    String[] names = tagNames;
    if (names == null) {
      return -1;
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i] == name || names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  // --- decaying tags (callers hold the monitor) -----------------------------------------------

  @Nullable DecayingValue decayingValue(DecayingTagImpl tag) {
    DecayingValue[] values = decaying;
    if (values != null) {
      for (DecayingValue v : values) {
        if (v.tag == tag) {
          return v;
        }
      }
    }
    return null;
  }

  DecayingValue addDecaying(DecayingTagImpl tag, long nowNanos) {
    DecayingValue v = new DecayingValue(tag, nowNanos);
    decaying = decaying == null ? new DecayingValue[] {v} : CopyOnWrite.append(decaying, v);
    return v;
  }

  boolean removeDecaying(DecayingTagImpl tag) {
    DecayingValue[] values = decaying;
    if (values == null) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i].tag == tag) {
        decaying = values.length == 1 ? null : CopyOnWrite.removeAt(values, i);
        recomputeValue();
        return true;
      }
    }
    return false;
  }

  /** The decaying tags this peer carries, for clean-up when it leaves. */
  DecayingValue[] decayingValues() {
    DecayingValue[] values = decaying;
    return values == null ? NO_DECAYING : values.clone();
  }

  private static int saturatedSum(int a, int b) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (long) a + b));
  }

  void recomputeValue() {
    long sum = 0;
    int[] weights = tagWeights;
    if (weights != null) {
      for (int w : weights) {
        sum += w;
      }
    }
    DecayingValue[] values = decaying;
    if (values != null) {
      for (DecayingValue v : values) {
        sum += v.value;
      }
    }
    tagValue = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum));
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
