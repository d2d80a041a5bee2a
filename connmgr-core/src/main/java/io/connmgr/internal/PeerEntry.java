package io.connmgr.internal;

import io.connmgr.PeerId;
import io.connmgr.PeerView;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One peer: its tags, decaying values and connections. Its monitor guards every change to it and to
 * its connections' streams and leases; nothing but small pure functions runs under it.
 */
final class PeerEntry extends ScoredEntry implements PeerView, Comparable<PeerEntry> {

  private static final ConnectionEntry[] NO_CONNECTIONS = {};
  private static final DecayingValue[] NO_DECAYING = {};
  private static final String[] NO_NAMES = {};
  private static final int[] NO_WEIGHTS = {};

  /**
   * Plain tags in slots below this sit in the entry's own fields; only those past them take arrays.
   */
  private static final int INLINE_TAGS = 4;

  /**
   * Arrays of plain tags past {@link #INLINE_TAGS} this long or shorter stay when a peer's last
   * plain tag goes, and are compacted in place: a peer whose tags come and go allocates nothing.
   */
  private static final int KEPT_WHEN_EMPTY = 4;

  /** The number of tags of one kind a peer carries before they get a hash index. */
  private static final int INDEX_ABOVE = 8;

  private static final VarHandle TAG_SUM;

  static {
    try {
      TAG_SUM = MethodHandles.lookup().findVarHandle(PeerEntry.class, "tagSum", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final PeerId id;

  /** The id's hash code, taken once: see {@link PeerKey}. */
  private final int idHash;

  private final long firstSeenNanos;

  /** What {@link #removal} holds once the entry left the table and no eviction waits on it. */
  private static final int REMOVED = -1;

  /**
   * 0 while the entry is in the table. Set under the monitor when it left (a caller holding the
   * monitor must then retry): {@link #REMOVED}, or, while a round's eviction of the peer's last
   * connection waits to be recorded in the eviction memory, the ticket of that round's {@link
   * DepartedPeers} (positive), until the round's caller has its report or whoever meets the
   * departed entry first records it ({@link PeerTable#recordEvictionOf}), then {@link #REMOVED}.
   *
   * <p>An int, not a reference to what waits: a round's close writes it into an entry made long
   * before, in another heap region than anything the round allocates, and G1's write barrier marks
   * and queues the entry's card for every reference stored there, which its refinement threads then
   * scan during the round, on the round's processors (W1 at 100 000, alternating fresh JVMs:
   * 45.8–50.1 ms with a reference stored, 41.6–42.5 ms without).
   */
  private volatile int removal;

  /**
   * Whether the entry is in the table's set of temporaries (no connection yet); changed under the
   * monitor. Lets the table skip that set for peers that never were temporary: hashing an entry for
   * it first under its monitor would inflate the monitor.
   */
  private boolean temporary;

  /**
   * Whether another peer had an id of the same hash code when this entry was built: the table then
   * finds the entry by its id rather than by {@link #key()}. Set before the entry is published.
   */
  private boolean sharesHash;

  /**
   * Whether the peer is protected under any tag: a copy of {@link Protections} kept on the entry so
   * a round reads a field instead of looking each peer up (a cache miss per peer at scale). Written
   * under the monitor only, first when the entry is first locked (before it can have a connection)
   * and again after each protect or unprotect, each time read from the protections after their
   * change, so the last write always reflects the latest change.
   */
  private volatile boolean protectedFlag;

  /** Whether {@link #protectedFlag} was read from the protections yet; under the monitor. */
  private boolean protectionKnown;

  // Tags cost O(1) per operation however many a peer carries, and little memory when it carries
  // a few: plain tags sit in slots in the order first set (a removed tag leaves a hole until holes
  // outnumber tags, then the slots are compacted), the first INLINE_TAGS slots in the entry's own
  // fields and the rest in two parallel arrays; decaying values in one array (a removal moves the
  // last value into the hole); past INDEX_ABOVE of a kind, a hash index maps each name and
  // decaying tag to its slot, so no operation scans. A slot at or past tagSlots holds null and 0.
  //
  // The first four in fields rather than arrays: a tag change locks the entry, so its fields are
  // in the cache by then, where two arrays made when the tags were first set are a cache miss of
  // their own in a table larger than the cache (W2, one thread: about 1.17x, see
  // docs/performance-history.md), and a peer with a few tags takes 32 bytes less.

  private @Nullable String name0;
  private @Nullable String name1;
  private @Nullable String name2;
  private @Nullable String name3;
  private int weight0;
  private int weight1;
  private int weight2;
  private int weight3;

  /** Plain tag names of the slots past {@link #INLINE_TAGS}, a null slot where one was removed. */
  private @Nullable String[] moreNames = NO_NAMES;

  /** Plain tag weights of the same slots. */
  private int[] moreWeights = NO_WEIGHTS;

  /** Plain tag slots used, holes included. */
  private int tagSlots;

  /** Plain tags present. */
  private int tagCount;

  /** Decaying values in slots 0 .. decayingCount - 1 (null beyond); each value knows its slot. */
  private DecayingValue[] decaying = NO_DECAYING;

  private int decayingCount;

  /** Name (plain) or decaying tag to slot, once a peer carries many tags; else null. */
  private @Nullable HashMap<Object, Integer> slotIndex;

  /**
   * The exact sum of every tag's value, kept up to date by each change (under the monitor) and read
   * without it; the tag value is this sum saturated. It cannot overflow: the sum of at most 2^31
   * int weights stays far inside a long. Written with a release store and read with an acquire load
   * ({@link #TAG_SUM}): a volatile store is a full fence on x86, paid by every tag change and by
   * every peer of a decay pass, and no reader needs more than the latest sum.
   */
  private long tagSum;

  /**
   * Its connections: null for none, the {@link ConnectionEntry} itself for one, and an array,
   * replaced whole at every change, for more. Most peers have one connection: held in the entry, it
   * costs no array (24 bytes a peer), and a tag change or a round's close of it reaches it without
   * first missing the cache on an array. A peer's last close stores null: G1's write barrier lets a
   * null store pass, where a reference to an object in another heap region (an empty array made
   * once) dirties the entry's card for the concurrent refinement threads to scan, a card per peer a
   * round closes, on the processors the round runs on.
   */
  private volatile @Nullable Object connections;

  PeerEntry(PeerId id, long firstSeenNanos) {
    this.id = id;
    this.idHash = id.hashCode();
    this.firstSeenNanos = firstSeenNanos;
  }

  /** The peer's key, hashed when this entry was built: finding the peer reads no id. */
  PeerKey key() {
    return PeerKey.of(id, idHash);
  }

  /**
   * The peer id's hash, for the hashed sets an entry goes into (temporaries, a decaying tag's
   * holders), sometimes under its own monitor; equality stays identity. Not the identity hash: the
   * first identity hash of a locked object inflates its monitor, which makes every later lock of
   * the entry slower, and taking it up front in the constructor cost every new peer a call into the
   * VM (3 % of W3's connects) for the few entries that ever go into such a set.
   */
  @Override
  public int hashCode() {
    return idHash;
  }

  /**
   * In id order. The sets an entry goes into (temporaries, a decaying tag's holders) hash it by its
   * id, so ids chosen to share a hash code crowd one bin, which a hash table keeps as a tree
   * ordered by this rather than searching it whole. Equality stays identity: only an entry that
   * left the table and its successor share an id, and a tree tells them apart by a search of both
   * sides.
   */
  @Override
  public int compareTo(PeerEntry other) {
    return id.compareTo(other.id);
  }

  // --- PeerView -------------------------------------------------------------------------------

  @Override
  public PeerId id() {
    return id;
  }

  @Override
  public int tagValue() {
    return saturated((long) TAG_SUM.getAcquire(this));
  }

  @Override
  public synchronized Map<String, Integer> tags() {
    Map<String, Integer> all = plainTags();
    for (int i = 0; i < decayingCount; i++) {
      // a decaying tag registered under a name a peer already uses as a plain tag: both count,
      // so both show, summed, and the tags always add up to the tag value
      all.merge(decaying[i].tag().name(), decaying[i].value(), PeerEntry::saturatedSum);
    }
    return all;
  }

  /** The tags as they are now, copied for an eviction's breakdown built when read. */
  synchronized TagsAtClose tagsNow() {
    if (tagCount + decayingCount == 0) {
      return TagsAtClose.NONE;
    }
    String[] names = new String[tagCount + decayingCount];
    int[] values = new int[names.length];
    int k = 0;
    for (int i = 0; i < tagSlots; i++) {
      String name = nameAt(i);
      if (name != null) {
        names[k] = name;
        values[k++] = weightAt(i);
      }
    }
    for (int i = 0; i < decayingCount; i++) {
      names[k] = decaying[i].tag().name();
      values[k++] = decaying[i].value();
    }
    return new TagsAtClose(names, values, tagCount);
  }

  /** The tags as the first part of an eviction's breakdown ({@code tag:NAME} to weight). */
  Map<String, Double> tagBreakdown() {
    return tagsNow().breakdown();
  }

  @Override
  public List<ConnectionEntry> connections() {
    return List.of(connectionArray());
  }

  Instant firstSeen() {
    return Clock.toInstant(firstSeenNanos);
  }

  long firstSeenNanos() {
    return firstSeenNanos;
  }

  // --- membership of the table and protection (changed under the monitor) ---------------------

  /** Whether the entry left the table: a caller holding its monitor must look the peer up again. */
  boolean isRemoved() {
    return removal != 0;
  }

  void markRemoved() {
    if (removal == 0) {
      removal = REMOVED;
    }
  }

  /**
   * Marks the entry removed with the eviction of its peer by the round of {@code ticket} left to
   * record later (see {@link #removal}); the caller holds the monitor.
   */
  void markDeparted(int ticket) {
    removal = ticket;
  }

  /** The ticket of the round whose eviction of the peer waits on this entry; 0 if none waits. */
  int waitingTicket() {
    return Math.max(removal, 0);
  }

  /** The eviction that waited on the entry is recorded; the caller holds the monitor. */
  void evictionRecorded() {
    removal = REMOVED;
  }

  /** Whether the table finds this entry by its id rather than by {@link #key()}. */
  boolean sharesHash() {
    return sharesHash;
  }

  void setSharesHash(boolean sharesHash) {
    this.sharesHash = sharesHash;
  }

  /** Whether the entry is in the table's set of temporaries (no connection yet). */
  boolean isTemporary() {
    return temporary;
  }

  void setTemporary(boolean temporary) {
    this.temporary = temporary;
  }

  /** Whether the peer is protected under any tag, as last copied from the protections. */
  boolean isProtected() {
    return protectedFlag;
  }

  /** Copies the peer's protection the first time the entry is locked. */
  void learnProtection(Protections protections) {
    if (!protectionKnown) {
      protectionChanged(protections);
    }
  }

  /** Copies the peer's protection again after a protect or unprotect. */
  void protectionChanged(Protections protections) {
    boolean now = protections.isProtected(id, null);
    protectedFlag = now;
    protectionKnown = true;
    for (ConnectionEntry c : connectionArray()) {
      c.peerProtectionChanged(now);
    }
  }

  @Override
  public String toString() {
    return "Peer[" + id + "]";
  }

  // --- connections (callers hold the monitor for changes) -------------------------------------

  /** Its connections, in a fresh array when it has one only. */
  ConnectionEntry[] connectionArray() {
    Object current = connections;
    if (current == null) {
      return NO_CONNECTIONS;
    }
    return current instanceof ConnectionEntry only
        ? new ConnectionEntry[] {only}
        : (ConnectionEntry[]) current;
  }

  boolean hasConnections() {
    return connections != null;
  }

  /**
   * Its connection with that id, or null; unlike {@link #connectionArray}, allocates nothing for a
   * peer of one connection (a walk over every peer asks).
   */
  @Nullable ConnectionEntry connectionWithId(long id) {
    Object current = connections;
    if (current instanceof ConnectionEntry only) {
      return only.id() == id ? only : null;
    }
    if (current instanceof ConnectionEntry[] all) {
      for (ConnectionEntry c : all) {
        if (c.id() == id) {
          return c;
        }
      }
    }
    return null;
  }

  /** Adds its open (not closing) connections to {@code open}, allocating nothing else. */
  void addOpenConnectionsTo(List<? super ConnectionEntry> open) {
    Object current = connections;
    if (current instanceof ConnectionEntry only) {
      addIfOpen(only, open);
    } else if (current instanceof ConnectionEntry[] all) {
      for (ConnectionEntry c : all) {
        addIfOpen(c, open);
      }
    }
  }

  private static void addIfOpen(ConnectionEntry c, List<? super ConnectionEntry> open) {
    if (c.state() == ConnectionEntry.OPEN) {
      open.add(c);
    }
  }

  /** How many connections it has. */
  int connectionCount() {
    Object current = connections;
    if (current == null) {
      return 0;
    }
    return current instanceof ConnectionEntry[] all ? all.length : 1;
  }

  /** Adds a connection and tells each whether it is the peer's only one. */
  void addConnection(ConnectionEntry c) {
    Object current = connections;
    if (current == null) {
      connections = c;
      c.aloneOnPeer(true);
    } else if (current instanceof ConnectionEntry only) {
      connections = new ConnectionEntry[] {only, c};
      only.aloneOnPeer(false);
    } else {
      connections = CopyOnWrite.append((ConnectionEntry[]) current, c);
    }
  }

  void removeConnection(ConnectionEntry c) {
    Object current = connections;
    if (current == c) {
      connections = null;
      return;
    }
    if (!(current instanceof ConnectionEntry[] before)) {
      return; // none, or another one only
    }
    int i = CopyOnWrite.indexOf(before, c);
    if (i < 0) {
      return;
    }
    if (before.length == 2) {
      ConnectionEntry rest = before[1 - i];
      connections = rest;
      rest.aloneOnPeer(true);
    } else {
      connections = CopyOnWrite.removeAt(before, i);
    }
  }

  // --- plain tags (callers hold the monitor) --------------------------------------------------

  /** The plain tags (decaying ones left out), in the order they were first set; a fresh map. */
  Map<String, Integer> plainTags() {
    Map<String, Integer> plain = new LinkedHashMap<>(Math.max(4, tagCount * 2));
    for (int i = 0; i < tagSlots; i++) {
      String name = nameAt(i);
      if (name != null) {
        plain.put(name, weightAt(i));
      }
    }
    return plain;
  }

  boolean hasTag(String name) {
    return plainSlot(name) >= 0;
  }

  /** The weight of a plain tag, or {@code absent} if the peer does not carry it. */
  int weight(String name, int absent) {
    int slot = plainSlot(name);
    return slot < 0 ? absent : weightAt(slot);
  }

  void setTag(String name, int weight) {
    int slot = plainSlot(name);
    if (slot >= 0) {
      addToSum((long) weight - weightAt(slot));
      setWeightAt(slot, weight);
      return;
    }
    if (tagSlots == INLINE_TAGS + moreNames.length && tagCount < tagSlots) {
      compactPlainTags(); // room in the slots it has: no growth for a tag that comes back
    }
    if (tagSlots == INLINE_TAGS + moreNames.length) {
      int more = Math.max(INLINE_TAGS, moreNames.length * 2);
      moreNames = Arrays.copyOf(moreNames, more);
      moreWeights = Arrays.copyOf(moreWeights, more);
    }
    putAt(tagSlots, name, weight);
    if (slotIndex != null) {
      slotIndex.put(name, tagSlots);
    }
    tagSlots++;
    tagCount++;
    addToSum(weight);
    indexWhenLarge();
  }

  void removeTag(String name) {
    int slot = plainSlot(name);
    if (slot < 0) {
      return;
    }
    addToSum(-(long) weightAt(slot));
    putAt(slot, null, 0);
    tagCount--;
    if (slotIndex != null) {
      slotIndex.remove(name);
    }
    if (tagCount == 0) {
      if (moreNames.length > KEPT_WHEN_EMPTY) {
        moreNames = NO_NAMES;
        moreWeights = NO_WEIGHTS;
      }
      tagSlots = 0; // every slot is a hole (null) by now
      dropIndexWhenEmpty();
    } else if (tagSlots - tagCount > tagCount) {
      compactPlainTags();
    }
  }

  private int plainSlot(String name) {
    if (slotIndex != null) {
      Integer slot = slotIndex.get(name);
      return slot == null ? -1 : slot;
    }
    // unrolled: a slot past tagSlots holds null, which equals no name
    if (name.equals(name0)) {
      return 0;
    } else if (name.equals(name1)) {
      return 1;
    } else if (name.equals(name2)) {
      return 2;
    } else if (name.equals(name3)) {
      return 3;
    }
    for (int i = INLINE_TAGS; i < tagSlots; i++) {
      if (name.equals(moreNames[i - INLINE_TAGS])) {
        return i;
      }
    }
    return -1;
  }

  private @Nullable String nameAt(int slot) {
    return switch (slot) {
      case 0 -> name0;
      case 1 -> name1;
      case 2 -> name2;
      case 3 -> name3;
      default -> moreNames[slot - INLINE_TAGS];
    };
  }

  private int weightAt(int slot) {
    return switch (slot) {
      case 0 -> weight0;
      case 1 -> weight1;
      case 2 -> weight2;
      case 3 -> weight3;
      default -> moreWeights[slot - INLINE_TAGS];
    };
  }

  /**
   * Changes the weight of the tag in a slot. Not {@link #putAt}: a reference stored into an entry
   * made long before has G1's write barrier mark its card for the refinement threads to scan.
   */
  private void setWeightAt(int slot, int weight) {
    switch (slot) {
      case 0 -> weight0 = weight;
      case 1 -> weight1 = weight;
      case 2 -> weight2 = weight;
      case 3 -> weight3 = weight;
      default -> moreWeights[slot - INLINE_TAGS] = weight;
    }
  }

  /** Puts a plain tag in a slot, or a hole (null and 0). */
  private void putAt(int slot, @Nullable String name, int weight) {
    switch (slot) {
      case 0 -> name0 = name;
      case 1 -> name1 = name;
      case 2 -> name2 = name;
      case 3 -> name3 = name;
      default -> moreNames[slot - INLINE_TAGS] = name;
    }
    setWeightAt(slot, weight);
  }

  /**
   * Closes the holes, keeping the order; the index follows the tags that moved. In place, so that
   * tags that come and go allocate nothing; the arrays past the fields are cut to the tags only
   * when they are more than {@link #KEPT_WHEN_EMPTY} long and four times the tags (a peer that once
   * carried many).
   */
  private void compactPlainTags() {
    int to = 0;
    for (int from = 0; from < tagSlots; from++) {
      String name = nameAt(from);
      if (name != null) {
        if (to != from) {
          putAt(to, name, weightAt(from));
          if (slotIndex != null) {
            slotIndex.put(name, to);
          }
        }
        to++;
      }
    }
    for (int i = to; i < tagSlots; i++) {
      putAt(i, null, 0);
    }
    tagSlots = to;
    if (moreNames.length > Math.max(KEPT_WHEN_EMPTY, 4 * tagCount)) {
      int more = Math.max(0, tagCount - INLINE_TAGS);
      moreNames = more == 0 ? NO_NAMES : Arrays.copyOf(moreNames, more);
      moreWeights = more == 0 ? NO_WEIGHTS : Arrays.copyOf(moreWeights, more);
    }
  }

  // --- decaying tags (callers hold the monitor) -----------------------------------------------

  @Nullable DecayingValue decayingValue(DecayingTagEntry tag) {
    if (slotIndex != null) {
      Integer slot = slotIndex.get(tag);
      return slot == null ? null : decaying[slot];
    }
    for (int i = 0; i < decayingCount; i++) {
      if (decaying[i].tag() == tag) {
        return decaying[i];
      }
    }
    return null;
  }

  DecayingValue addDecaying(DecayingTagEntry tag, long nowNanos) {
    if (decayingCount == decaying.length) {
      decaying = Arrays.copyOf(decaying, Math.max(1, decayingCount * 2));
    }
    DecayingValue v = new DecayingValue(tag, nowNanos, decayingCount);
    decaying[decayingCount++] = v;
    if (slotIndex != null) {
      slotIndex.put(tag, v.slot());
    }
    indexWhenLarge();
    return v;
  }

  /** Sets one decaying value and the tag value with it. */
  void setDecayingValue(DecayingValue v, int value) {
    addToSum((long) value - v.value());
    v.setValue(value);
  }

  boolean removeDecaying(DecayingTagEntry tag) {
    DecayingValue v = decayingValue(tag);
    if (v == null) {
      return false;
    }
    addToSum(-(long) v.value());
    DecayingValue last = decaying[--decayingCount];
    decaying[decayingCount] = null;
    if (slotIndex != null) {
      slotIndex.remove(tag);
    }
    if (last != v) {
      decaying[v.slot()] = last;
      last.moveTo(v.slot());
      if (slotIndex != null) {
        slotIndex.put(last.tag(), last.slot());
      }
    }
    if (decayingCount == 0) {
      decaying = NO_DECAYING;
      dropIndexWhenEmpty();
    }
    return true;
  }

  /** The decaying tags this peer carries, for clean-up when it leaves. */
  DecayingValue[] decayingValues() {
    return decayingCount == 0 ? NO_DECAYING : Arrays.copyOf(decaying, decayingCount);
  }

  // --- the slot index and the sum -------------------------------------------------------------

  private void indexWhenLarge() {
    if (slotIndex != null || (tagCount <= INDEX_ABOVE && decayingCount <= INDEX_ABOVE)) {
      return;
    }
    HashMap<Object, Integer> index = new HashMap<>();
    for (int i = 0; i < tagSlots; i++) {
      String name = nameAt(i);
      if (name != null) {
        index.put(name, i);
      }
    }
    for (int i = 0; i < decayingCount; i++) {
      index.put(decaying[i].tag(), i);
    }
    slotIndex = index;
  }

  private void dropIndexWhenEmpty() {
    if (tagCount == 0 && decayingCount == 0) {
      slotIndex = null;
    }
  }

  private static int saturatedSum(int a, int b) {
    return saturated((long) a + b);
  }

  private static int saturated(long sum) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum));
  }

  /** Moves the exact sum and the tag value in its connections' slots; caller holds the monitor. */
  private void addToSum(long delta) {
    long sum = tagSum + delta; // a plain read: only the monitor's holder writes it
    TAG_SUM.setRelease(this, sum);
    if (delta != 0) {
      int value = saturated(sum);
      Object current = connections;
      if (current instanceof ConnectionEntry only) {
        only.peerValueChanged(value);
      } else if (current instanceof ConnectionEntry[] all) {
        for (ConnectionEntry c : all) {
          c.peerValueChanged(value);
        }
      }
    }
  }
}
