package io.connmgr.internal;

import io.connmgr.SkipReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The one answer to "may this connection be closed, and in what order?". Rounds, {@link
 * io.connmgr.inspect.Inspection#assess()} and admission's displacement all ask it.
 *
 * <p>Eligibility: an open connection is held back when its peer is protected, when it is in its
 * grace period (not in an emergency), when a lease holds it, and, after scoring, when a scorer
 * answered {@link io.connmgr.Score#KEEP} (or its last answer was KEEP and it gave none now). Vetoes
 * and the listeners of elapsed leases are asked only for a connection about to be closed, since
 * asking has effects; a round does that, walking the order this policy gives.
 *
 * <p>Order: the connections whose every scorer answered, by score (tag value plus weighted scorer
 * answers), lowest first; on equal score by the tie-break key of {@link CandidateOrder#tieKey}.
 * After them the connections some scorer gave no answer for, in the same order among themselves: a
 * late or failing scorer never moves a connection forward.
 */
final class CandidatePolicy {

  private final ConnectionSlots slots;
  private final Protections protections;
  private final long graceNanos;

  /** The open connections now: what a gathering is sized for. */
  private final IntSupplier openConnections;

  CandidatePolicy(
      ConnectionSlots slots,
      Protections protections,
      long graceNanos,
      IntSupplier openConnections) {
    this.slots = slots;
    this.protections = protections;
    this.graceNanos = graceNanos;
    this.openConnections = openConnections;
  }

  /**
   * Every open connection at {@code now}: the candidates, and those held back before scoring,
   * counted by reason (and kept, with their reason, when {@code keepHeldBack}). Read from the slots
   * alone, without touching a connection or peer object (but a leased connection's leases): a
   * peer's only connection in slot order, then the connections of peers with several, grouped by
   * peer so that a peer scorer answers once for each peer.
   */
  Field gather(long now, boolean ignoreGrace, boolean keepHeldBack) {
    int limit = slots.limit();
    // sized for what is open (grown only for connections opened during the walk): growing from a
    // small start copied each array about twice over, 9 % of a round of 1 000 in a profile
    Field f =
        new Field(
            slots, now, protections.changes(), Math.min(limit, openConnections.getAsInt()) + 1);
    long graceStart = ignoreGrace ? Long.MAX_VALUE : now - graceNanos;
    long[] taken = new long[(limit + 63) >>> 6];
    Map<PeerEntry, List<Integer>> shared = null;
    for (int s = 0; s < limit; s += Round.BATCH) {
      // a call per batch of slots, not a loop body: see Round.plan
      shared =
          visitBatch(
              f, s, Math.min(s + Round.BATCH, limit), graceStart, keepHeldBack, taken, shared);
    }
    if (shared != null) {
      shared.forEach(
          (peer, group) -> {
            // a peer that gained a connection during the walk may have one taken as its only one:
            // its new ones wait for the next round rather than get the peer scored twice
            if (!anyTaken(peer, taken)) {
              for (int s : group) {
                int word = slots.word(s);
                ConnectionEntry c = slots.entry(s);
                if (ConnectionSlots.stateOf(word) == ConnectionSlots.OPEN
                    && c != null
                    && c.generation() == ConnectionSlots.generationOf(word)) {
                  consider(f, s, word, c, graceStart, keepHeldBack);
                }
              }
            }
          });
    }
    return f;
  }

  /**
   * Visits slots {@code from} to {@code to} (exclusive); returns {@code shared} with the slots of
   * connections whose peer has several added, grouped by peer (created at the first).
   */
  private @Nullable Map<PeerEntry, List<Integer>> visitBatch(
      Field f,
      int from,
      int to,
      long graceStart,
      boolean keepHeldBack,
      long[] taken,
      @Nullable Map<PeerEntry, List<Integer>> shared) {
    Map<PeerEntry, List<Integer>> groups = shared;
    for (int s = from; s < to; s++) {
      ConnectionEntry sharing = visit(f, s, graceStart, keepHeldBack, taken);
      if (sharing != null) {
        if (groups == null) {
          groups = new LinkedHashMap<>();
        }
        groups.computeIfAbsent(sharing.peerEntry(), p -> new ArrayList<>()).add(s);
      }
    }
    return groups;
  }

  /**
   * Considers the connection in slot {@code s} if it is its peer's only one (and marks it taken);
   * returns it if its peer has several, to be grouped, and null otherwise.
   */
  private @Nullable ConnectionEntry visit(
      Field f, int s, long graceStart, boolean keepHeldBack, long[] taken) {
    int word = slots.word(s);
    if (ConnectionSlots.stateOf(word) != ConnectionSlots.OPEN) {
      return null;
    }
    ConnectionEntry c = slots.entry(s);
    if (c == null || slots.word(s) != word) {
      return null; // closed, and maybe given to another connection, while read
    }
    if ((slots.flags(s) & ConnectionSlots.ALONE_ON_PEER) == 0) {
      return c;
    }
    consider(f, s, word, c, graceStart, keepHeldBack);
    taken[s >>> 6] |= 1L << s;
    return null;
  }

  private static boolean anyTaken(PeerEntry peer, long[] taken) {
    for (ConnectionEntry c : peer.connectionArray()) {
      int s = c.slot();
      if (s >>> 6 < taken.length && (taken[s >>> 6] & (1L << s)) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Adds the open connection in slot {@code s}, held back or a candidate. */
  private void consider(
      Field f, int s, int word, ConnectionEntry c, long graceStart, boolean keepHeldBack) {
    int flags = slots.flags(s);
    long openedAt = slots.openedAt(s);
    SkipReason reason;
    if ((flags & ConnectionSlots.PROTECTED) != 0) {
      reason = SkipReason.PROTECTED;
    } else if (openedAt > graceStart && (flags & ConnectionSlots.GRACE_WAIVED) == 0) {
      reason = SkipReason.GRACE;
    } else if ((flags & ConnectionSlots.LEASED) != 0 && c.hasActiveLease(f.now())) {
      reason = SkipReason.LEASED;
    } else {
      reason = null;
    }
    if (reason != null) {
      f.count(reason);
    }
    if (reason == null || keepHeldBack) {
      long tie =
          CandidateOrder.tieKey(
              slots.streams(s) > 0,
              (flags & ConnectionSlots.ALONE_ON_PEER) != 0,
              (flags & ConnectionSlots.OUTBOUND) != 0,
              f.now() - openedAt);
      f.add(c, s, ConnectionSlots.generationOf(word), slots.value(s), tie, reason);
    }
  }

  private static @Nullable SkipReason heldBack(
      ConnectionEntry c, boolean peerProtected, long graceStart, long now) {
    if (peerProtected) {
      return SkipReason.PROTECTED;
    }
    if (c.openedAtNanos() > graceStart && !c.graceWaived()) {
      return SkipReason.GRACE;
    }
    if (c.hasActiveLease(now)) {
      return SkipReason.LEASED;
    }
    return null;
  }

  /**
   * Adds the scorers' answers to the scores, holds back what a scorer kept, and returns the
   * candidates in closing order.
   */
  Walk order(Field f, ScoringPass pass) {
    int n = f.size();
    if (!pass.hasScorers() && f.candidates() == n) {
      return new Walk(new CandidateOrder(f.scores(), f.ties(), n), null, null);
    }
    int[] known = new int[n];
    int[] late = new int[n];
    int nKnown = 0;
    int nLate = 0;
    for (int i = 0; i < n; i++) {
      f.addToScore(i, pass.scorersTotal(i));
      if (f.heldBack(i) != null) {
        continue;
      }
      if (pass.kept(i)) {
        f.holdBack(i, SkipReason.KEPT_BY_SCORER);
      } else if (pass.late(i)) {
        late[nLate++] = i;
      } else {
        known[nKnown++] = i;
      }
    }
    return new Walk(
        subset(f, known, nKnown),
        Arrays.copyOf(known, nKnown),
        new Walk(subset(f, late, nLate), Arrays.copyOf(late, nLate), null));
  }

  private static CandidateOrder subset(Field f, int[] indices, int m) {
    double[] score = new double[m];
    long[] tie = new long[m];
    for (int k = 0; k < m; k++) {
      score[k] = f.score(indices[k]);
      tie[k] = f.tie(indices[k]);
    }
    return new CandidateOrder(score, tie, m);
  }

  /**
   * Why a candidate may no longer be closed, checked again just before a round acts on it
   * (callbacks run between planning and closing): protected or leased since; null if it may.
   */
  @Nullable SkipReason since(int i, Field f) {
    // gathering left out the peers protected then; unless a protect or unprotect call completed
    // since, that answer stands and the lookup is saved (half of W1's lookups)
    if (protections.changes() != f.protectionChanges()
        && protections.isProtected(f.connection(i).peer(), null)) {
      return SkipReason.PROTECTED;
    }
    // a lease taken since the round began is active at its start too, so the round's instant
    // serves and saves a clock read per close
    if (f.mayBeLeased(i) && f.connection(i).hasActiveLease(f.now())) {
      return SkipReason.LEASED;
    }
    return null;
  }

  /**
   * Why an open connection would be held back at {@code now}, looked up afresh (admission's
   * displacement, between assessments); null for a candidate.
   */
  @Nullable SkipReason heldBackNow(ConnectionEntry c, long now) {
    return heldBack(c, protections.isProtected(c.peer(), null), now - graceNanos, now);
  }

  /** The open connections one instant, their scores and tie-break keys, and what held some back. */
  static final class Field {
    private final ConnectionSlots slots;
    private final long now;
    private final long protectionChanges;
    private final int[] skipped = new int[SkipReason.values().length];
    private ConnectionEntry[] connections;

    /** Each connection's slot and the generation it holds it under. */
    private int[] slot;

    private int[] generation;
    private double[] score;

    /** Each connection's tie-break key, taken while gathering it (its entry is in cache then). */
    private long[] tie;

    private @Nullable SkipReason[] heldBack;
    private int n;

    /** How many of the n connections are held back (kept for an assessment's view). */
    private int heldBackKept;

    private Field(ConnectionSlots slots, long now, long protectionChanges, int capacity) {
      this.slots = slots;
      this.now = now;
      this.protectionChanges = protectionChanges;
      this.connections = new ConnectionEntry[capacity];
      this.slot = new int[capacity];
      this.generation = new int[capacity];
      this.score = new double[capacity];
      this.tie = new long[capacity];
      this.heldBack = new SkipReason[capacity];
    }

    /** The instant it was gathered at. */
    long now() {
      return now;
    }

    /** The protections' change count when it was gathered. */
    long protectionChanges() {
      return protectionChanges;
    }

    /** How many connections it holds: the candidates, and those held back if kept. */
    int size() {
      return n;
    }

    /** The candidates the policy orders: those not held back before scoring. */
    int candidates() {
      return n - heldBackKept;
    }

    ConnectionEntry connection(int i) {
      return connections[i];
    }

    /** Whether connection {@code i} is still open (not closing, not closed), read from its slot. */
    boolean stillOpen(int i) {
      return slots.state(slot[i], generation[i]) == ConnectionSlots.OPEN;
    }

    /** Whether a lease may hold connection {@code i}: false is sure, true is to be checked. */
    boolean mayBeLeased(int i) {
      return (slots.flags(slot[i]) & ConnectionSlots.LEASED) != 0
          || slots.state(slot[i], generation[i]) == ConnectionSlots.CLOSED;
    }

    /**
     * Reads, changing nothing, what closing connection {@code i} reads here (its slot's state and
     * flags, its score); returns a number made of them. See {@link Round}'s read-ahead.
     */
    int readAhead(int i) {
      return slots.word(slot[i]) + slots.flags(slot[i]) + (int) score[i];
    }

    /** The connections, by index, the first {@link #size()} of them (shared; not to be changed). */
    ConnectionEntry[] connections() {
      return connections;
    }

    double score(int i) {
      return score[i];
    }

    /** The scores, by index, the first {@link #size()} of them (shared; not to be changed). */
    double[] scores() {
      return score;
    }

    private void addToScore(int i, double more) {
      score[i] += more;
    }

    long tie(int i) {
      return tie[i];
    }

    /** The tie-break keys, by index, the first {@link #size()} of them (shared). */
    long[] ties() {
      return tie;
    }

    /** Why connection {@code i} is held back, or null for a candidate. */
    @Nullable SkipReason heldBack(int i) {
      return heldBack[i];
    }

    /** How many were held back for {@code reason}. */
    int skipped(SkipReason reason) {
      return skipped[reason.ordinal()];
    }

    private void count(SkipReason reason) {
      skipped[reason.ordinal()]++;
    }

    private void holdBack(int i, SkipReason reason) {
      heldBack[i] = reason;
      count(reason);
    }

    private void add(
        ConnectionEntry c,
        int atSlot,
        int atGeneration,
        int tagValue,
        long tieKey,
        @Nullable SkipReason reason) {
      if (n == connections.length) {
        int grown = n * 2;
        connections = Arrays.copyOf(connections, grown);
        slot = Arrays.copyOf(slot, grown);
        generation = Arrays.copyOf(generation, grown);
        score = Arrays.copyOf(score, grown);
        tie = Arrays.copyOf(tie, grown);
        heldBack = Arrays.copyOf(heldBack, grown);
      }
      connections[n] = c;
      slot[n] = atSlot;
      generation[n] = atGeneration;
      score[n] = tagValue;
      tie[n] = tieKey;
      heldBack[n] = reason;
      if (reason != null) {
        heldBackKept++;
      }
      n++;
    }
  }

  /** Candidate indices into a {@link Field}, in closing order, sorted only as far as read. */
  static final class Walk {
    private final CandidateOrder order;
    private final int @Nullable [] indices;
    private final @Nullable Walk then;

    private Walk(CandidateOrder order, int @Nullable [] indices, @Nullable Walk then) {
      this.order = order;
      this.indices = indices;
      this.then = then;
    }

    boolean hasNext() {
      return order.hasNext() || (then != null && then.hasNext());
    }

    /**
     * The index in the field of the candidate {@code ahead} places after the next one, when it is
     * known without ordering more; -1 otherwise. Changes nothing.
     */
    int peek(int ahead) {
      if (!order.hasNext()) {
        return then != null ? then.peek(ahead) : -1;
      }
      int k = order.peek(ahead);
      return k < 0 || indices == null ? k : indices[k];
    }

    /** The next candidate's index in the field; {@code stillNeeded} sizes the sorted batch. */
    int next(int stillNeeded) {
      if (!order.hasNext() && then != null) {
        return then.next(stillNeeded);
      }
      int k = order.next(stillNeeded);
      return indices == null ? k : indices[k];
    }
  }
}
