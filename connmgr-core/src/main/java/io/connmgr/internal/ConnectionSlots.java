package io.connmgr.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * Every open connection's small integer slot, and what a round reads of it kept in primitive arrays
 * by slot: its life state, flags (protected, grace waived, leased, outbound, alone on its peer),
 * its peer's tag value, when it opened and how many streams it has. A round walks these arrays from
 * slot 0 up and touches no connection or peer object to gather its candidates.
 *
 * <p>The arrays grow by chunks that never move, so a write into a slot is never lost to a growth. A
 * closed connection's slot goes back on a lock-free free list and is handed out again; each
 * hand-out bumps the slot's generation, kept in the same word as its state, so an entry that
 * outlived its slot reads as CLOSED and can change nothing there.
 *
 * <p>Threads that open and close connections at once share nothing here: there is a free list per
 * {@link Stripes stripe}, each list's top on cache lines of its own, and a thread takes a closed
 * slot from its own stripe first, then a never-used one from its stripe's block of {@link #BLOCK},
 * then a closed one from another stripe (never that stripe's last: its own thread is about to open
 * it again), and only then a fresh block. So a thread that closes what it opened reuses its own
 * slot, threads that churn at once stay off each other's cache lines, and a block and a slot per
 * stripe wait unused (a block more for each thread that found its stripe empty at the same time as
 * another of the stripe's, as each then takes a fresh block). A single free list had the two
 * threads of W3 fight over its top and over the slots' cache lines on every connect and close.
 *
 * <p>Who writes: the state word by compare-and-set (a connection's life, {@link ConnectionEntry});
 * everything else under the monitor of the connection's peer, checking first that the slot is still
 * the connection's (its release happens under that monitor too), but for the tag value, which is
 * written only for the connections in the peer's list and so needs no check ({@link #setValue}).
 * Writes are releases and reads acquires (plain moves on x86); readers take no lock, and a round
 * re-checks what it acts on.
 */
final class ConnectionSlots {

  /** A slot on the free list, or reserved and not yet open. */
  static final int FREE = 0;

  static final int OPEN = 1;
  static final int CLOSING = 2;
  static final int CLOSED = 3;

  /** Flag: the connection's peer is protected. */
  static final int PROTECTED = 1;

  /** Flag: the peer was evicted recently, so the connection has no grace period. */
  static final int GRACE_WAIVED = 1 << 1;

  /** Flag: a lease (maybe elapsed, not yet released) is held on the connection. */
  static final int LEASED = 1 << 2;

  static final int OUTBOUND = 1 << 3;

  /** Flag: it is its peer's only connection. */
  static final int ALONE_ON_PEER = 1 << 4;

  /**
   * Never-used slots are handed to a stripe this many at a time: 64 bytes of every int array, so
   * that the slots two threads start on are a cache line apart.
   */
  static final int BLOCK = 16;

  private static final int CHUNK_BITS = 12;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final int MASK = CHUNK - 1;
  private static final int STATE_BITS = 2;
  private static final int STATE_MASK = (1 << STATE_BITS) - 1;
  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

  /** generation << 2 | state, by slot. */
  private volatile int[][] words = new int[0][];

  private volatile int[][] flags = new int[0][];

  /**
   * The peer's tag value, by slot; a free slot's holds its free-list link instead (the next free
   * slot + 1 below it, 0: none), which {@link #open} overwrites.
   */
  private volatile int[][] values = new int[0][];

  private volatile int[][] streams = new int[0][];
  private volatile long[][] openedAt = new long[0][];
  private volatile ConnectionEntry[][] entries = new ConnectionEntry[0][];

  /** Slots ever given to a stripe (whole blocks): every slot in use is below it. */
  private final AtomicInteger limit = new AtomicInteger();

  /**
   * Each stripe's free list top, at {@link #top}: its top slot + 1 in the low half (0: empty), a
   * stamp against ABA above it; right after it, the stripe's block of never-used slots: the next in
   * the low half, the end in the high half. Padded before the first stripe and after the last.
   */
  private final AtomicLongArray tops = Stripes.padded();

  // --- hand-out and return --------------------------------------------------------------------

  /**
   * A slot for a new connection, reserved (FREE) until {@link #open}; its generation is set. A
   * closed one from the calling thread's stripe, else a never-used one of its block, else a closed
   * one from another stripe that has more than one, else the first of a fresh block.
   */
  int reserve() {
    return cleared(take());
  }

  /**
   * Clears the flags a slot's last connection left: its close leaves them (and the other fields
   * that {@link #open} writes) as they were, so that a close, which a round makes thousands of in
   * score order, writes to as few of the arrays as it can. Nobody reads a free slot's flags, and
   * nobody but the reserving thread writes them until the slot holds the new generation.
   */
  private int cleared(int slot) {
    flags[slot >>> CHUNK_BITS][slot & MASK] = 0;
    return slot;
  }

  private int take() {
    int home = Stripes.current();
    int slot = pop(top(home), false);
    if (slot >= 0) {
      return slot;
    }
    slot = takeFresh(home);
    if (slot >= 0) {
      return slot;
    }
    for (int k = 1; k < Stripes.COUNT; k++) {
      // never another stripe's last free slot: that is the one its thread is about to open again,
      // and taking it would leave the two threads on neighbouring slots of one block
      slot = pop(top((home + k) & (Stripes.COUNT - 1)), true);
      if (slot >= 0) {
        return slot;
      }
    }
    int first = limit.getAndAdd(BLOCK);
    ensureCapacity(first + BLOCK - 1);
    int at = top(home) + 1;
    long spent = tops.get(at);
    if (!isExhausted(spent)
        || !tops.compareAndSet(at, spent, ((long) (first + BLOCK) << 32) | (first + 1))) {
      // another thread of this stripe got a block meanwhile: this one's rest is free like any
      for (int s = first + BLOCK - 1; s > first; s--) {
        push(top(home), s);
      }
    }
    return first;
  }

  /** The next never-used slot of the stripe's block, or -1 when it has none left. */
  private int takeFresh(int stripe) {
    int at = top(stripe) + 1;
    for (; ; ) {
      long block = tops.get(at);
      if (isExhausted(block)) {
        return -1;
      }
      if (tops.compareAndSet(at, block, block + 1)) {
        return (int) block;
      }
    }
  }

  /** Whether a block's word (end in the high half, next in the low half) has no slot left. */
  private static boolean isExhausted(long block) {
    return (int) block >= (int) (block >>> 32);
  }

  /** The generation a connection given {@code slot} now holds it under. */
  int generation(int slot) {
    return slot < 0 ? 0 : word(slot) >>> STATE_BITS;
  }

  /**
   * Records the connection in its reserved slot and opens it; the caller holds the peer's monitor.
   * The other fields are written before the state, so a reader that sees OPEN sees them.
   */
  void open(int slot, ConnectionEntry c, int initialFlags, int peerValue, long openedAtNanos) {
    int chunk = slot >>> CHUNK_BITS;
    int i = slot & MASK;
    entries[chunk][i] = c;
    flags[chunk][i] |= initialFlags;
    values[chunk][i] = peerValue;
    streams[chunk][i] = 0;
    openedAt[chunk][i] = openedAtNanos;
    INTS.setRelease(words[chunk], i, (c.generation() << STATE_BITS) | OPEN);
  }

  /**
   * Gives a CLOSED connection's slot back: the next generation, FREE, on the free list. The caller
   * holds the peer's monitor. Only the entry is cleared (it must not keep the connection alive) and
   * the value becomes the free-list link: nobody reads a free slot's other fields, which {@link
   * #reserve} and {@link #open} write anew, so a close touches three arrays, not seven, each a
   * cache miss in a round's score order.
   */
  void release(int slot, int generation) {
    int chunk = slot >>> CHUNK_BITS;
    int i = slot & MASK;
    if (words[chunk][i] >>> STATE_BITS != generation) {
      return;
    }
    entries[chunk][i] = null;
    INTS.setVolatile(words[chunk], i, ((generation + 1) << STATE_BITS) | FREE);
    push(top(Stripes.current()), slot);
  }

  /**
   * Takes the top slot off the free list whose top is at {@code at}; -1 if it is empty, or when
   * {@code leaveLast} and it holds one slot only.
   */
  private int pop(int at, boolean leaveLast) {
    for (; ; ) {
      long top = tops.get(at);
      int slot = (int) top - 1;
      if (slot < 0) {
        return -1;
      }
      int below = values[slot >>> CHUNK_BITS][slot & MASK]; // its link: see values
      if (leaveLast && below == 0) {
        return -1;
      }
      if (tops.compareAndSet(at, top, stamped(top, below))) {
        return slot;
      }
    }
  }

  /** Puts {@code slot} on top of the free list whose top is at {@code at}. */
  private void push(int at, int slot) {
    int[] links = values[slot >>> CHUNK_BITS];
    for (; ; ) {
      long top = tops.get(at);
      links[slot & MASK] = (int) top;
      if (tops.compareAndSet(at, top, stamped(top, slot + 1))) {
        return;
      }
    }
  }

  /** Where the stripe's top sits in {@link #tops}. */
  private static int top(int stripe) {
    return Stripes.base(stripe);
  }

  private static long stamped(long top, int slotPlusOne) {
    return (((top >>> 32) + 1) << 32) | (slotPlusOne & 0xFFFF_FFFFL);
  }

  private void ensureCapacity(int slot) {
    if ((slot >>> CHUNK_BITS) < words.length) {
      return;
    }
    synchronized (this) {
      int chunks = words.length;
      int needed = (slot >>> CHUNK_BITS) + 1;
      if (needed <= chunks) {
        return;
      }
      int grown = Math.max(needed, chunks * 2);
      int[][] w = Arrays.copyOf(words, grown);
      int[][] f = Arrays.copyOf(flags, grown);
      int[][] v = Arrays.copyOf(values, grown);
      int[][] s = Arrays.copyOf(streams, grown);
      long[][] o = Arrays.copyOf(openedAt, grown);
      ConnectionEntry[][] e = Arrays.copyOf(entries, grown);
      for (int k = chunks; k < grown; k++) {
        w[k] = new int[CHUNK];
        f[k] = new int[CHUNK];
        v[k] = new int[CHUNK];
        s[k] = new int[CHUNK];
        o[k] = new long[CHUNK];
        e[k] = new ConnectionEntry[CHUNK];
      }
      // the word arrays last: a slot below their length has every other array too
      flags = f;
      values = v;
      streams = s;
      openedAt = o;
      entries = e;
      words = w;
    }
  }

  // --- life state (compare-and-set, no lock) --------------------------------------------------

  /** The state of the connection holding {@code slot} under {@code generation}; CLOSED if gone. */
  int state(int slot, int generation) {
    if (slot < 0) {
      return CLOSED;
    }
    int w = word(slot);
    return w >>> STATE_BITS == generation ? w & STATE_MASK : CLOSED;
  }

  /** Moves the connection's state from {@code from} to {@code to}; false if it was not in it. */
  boolean transition(int slot, int generation, int from, int to) {
    if (slot < 0) {
      return false;
    }
    int g = generation << STATE_BITS;
    return INTS.compareAndSet(words[slot >>> CHUNK_BITS], slot & MASK, g | from, g | to);
  }

  // --- what a round reads (under the peer's monitor for writes) -------------------------------

  /** Sets or clears flag bits of a connection that still holds its slot; caller holds the peer. */
  void setFlag(int slot, int generation, int flag, boolean on) {
    if (holds(slot, generation)) {
      int[] chunk = flags[slot >>> CHUNK_BITS];
      int i = slot & MASK;
      INTS.setRelease(chunk, i, on ? chunk[i] | flag : chunk[i] & ~flag);
    }
  }

  /**
   * Sets the peer's tag value of a connection in its peer's list; caller holds the peer. Such a
   * connection holds its slot (both its slot's hand-out and its release happen under that monitor,
   * the first before the connection joins the list, the second after it left), so this writes
   * without reading the slot's word first: a tag change or a decay pass saves a cache miss per
   * connection of the peer (W2 at two threads: median +13 % in alternating fresh JVMs).
   */
  void setValue(int slot, int generation, int value) {
    assert holds(slot, generation) : "slot " + slot + " is not generation " + generation + "'s";
    INTS.setRelease(values[slot >>> CHUNK_BITS], slot & MASK, value);
  }

  /** Sets the stream count of a connection that still holds its slot; caller holds the peer. */
  void setStreams(int slot, int generation, int count) {
    if (holds(slot, generation)) {
      INTS.setRelease(streams[slot >>> CHUNK_BITS], slot & MASK, count);
    }
  }

  private boolean holds(int slot, int generation) {
    return slot >= 0 && word(slot) >>> STATE_BITS == generation;
  }

  /** Every slot in use is below this. */
  int limit() {
    return Math.min(limit.get(), words.length << CHUNK_BITS);
  }

  /** The slot's generation and state in one word: {@link #stateOf}, {@link #generationOf}. */
  int word(int slot) {
    return (int) INTS.getAcquire(words[slot >>> CHUNK_BITS], slot & MASK);
  }

  static int stateOf(int word) {
    return word & STATE_MASK;
  }

  static int generationOf(int word) {
    return word >>> STATE_BITS;
  }

  int flags(int slot) {
    return (int) INTS.getAcquire(flags[slot >>> CHUNK_BITS], slot & MASK);
  }

  int value(int slot) {
    return (int) INTS.getAcquire(values[slot >>> CHUNK_BITS], slot & MASK);
  }

  int streams(int slot) {
    return (int) INTS.getAcquire(streams[slot >>> CHUNK_BITS], slot & MASK);
  }

  long openedAt(int slot) {
    return openedAt[slot >>> CHUNK_BITS][slot & MASK];
  }

  @Nullable ConnectionEntry entry(int slot) {
    return entries[slot >>> CHUNK_BITS][slot & MASK];
  }
}
