package io.connmgr.internal;

import io.connmgr.ConnectionView;
import io.connmgr.EvictionRecord;
import io.connmgr.LeaseDecision;
import io.connmgr.SkipReason;
import io.connmgr.TrimReport;
import io.connmgr.TrimRound;
import io.connmgr.Trigger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One round: gather the candidates, score them, walk them from the least valuable up past leases
 * and vetoes until the target is planned, then close the planned ones. Callbacks run on this
 * thread (scorers on a watched worker), never under a lock of the manager.
 */
final class Round implements TrimRound {

  private static final System.Logger LOG = System.getLogger(Round.class.getName());
  private static final ThreadLocal<Boolean> IN_CALLBACKS = new ThreadLocal<>();

  private final Engine engine;
  private final Trigger trigger;
  private final int target;
  private final int before;
  private final long nowNanos;
  private final Instant startedAt;
  private final boolean ignoreGrace;
  private final String why;

  private final int[] skipped = new int[SkipReason.values().length];
  private final Map<String, Integer> vetoCounts = new TreeMap<>();
  private final List<ConnectionEntry> planned = new ArrayList<>();
  /** What the round closed, in order; guarded by this round's monitor (no callback runs under it). */
  private final List<EvictionRecord> evicted = new ArrayList<>();
  /** Bumped by the callback worker at each step; the waiting round thread reads it. */
  private volatile long progress;
  private volatile String doing = "";
  private final List<ConnectionView> plannedView = Collections.unmodifiableList(planned);

  private ConnectionEntry[] candidates = new ConnectionEntry[16];
  private double[] score = new double[16];
  /** Each candidate's tie-break key, taken while gathering it (its entry is in cache then). */
  private long[] tie = new long[16];
  private int count;
  /** The protections' change count when gathering began; see {@link #protectedSinceGather}. */
  private long protectionChangesAtGather;

  Round(Engine engine, Trigger trigger, int target, int before, long nowNanos, String why) {
    this.engine = engine;
    this.trigger = trigger;
    this.target = Math.max(0, target);
    this.before = before;
    this.nowNanos = nowNanos;
    this.startedAt = Clock.toInstant(nowNanos);
    this.ignoreGrace = trigger == Trigger.EMERGENCY;
    this.why = why;
  }

  @Override
  public Trigger trigger() {
    return trigger;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public int target() {
    return target;
  }

  @Override
  public List<? extends ConnectionView> planned() {
    return plannedView;
  }

  TrimReport run() throws InterruptedException {
    long began = System.nanoTime();
    String stalledOn = null;
    if (target > 0) {
      gather();
      ScoringPass pass = new ScoringPass(engine.scorers.current(), candidates, count,
          engine.settings.scorerBudget().toNanos());
      pass.run(engine.scorerThreads);
      pass.publish(false, (event, n) -> engine.reportScorerFailure(event, n));
      stalledOn = chooseAndClose(pass);
    }
    synchronized (this) {
      EnumMap<SkipReason, Integer> skips = new EnumMap<>(SkipReason.class);
      for (SkipReason reason : SkipReason.values()) {
        skips.put(reason, skipped[reason.ordinal()]);
      }
      return new TrimReport(trigger, startedAt, Duration.ofNanos(System.nanoTime() - began),
          target, before, evicted, skips, vetoCounts, stalledOn);
    }
  }

  /** Whether the current thread runs a round's callbacks; such a thread may not start a round. */
  static boolean inCallbacks() {
    return IN_CALLBACKS.get() != null;
  }

  /**
   * Runs the phases that call back (lease listeners, vetoes, closers) on a worker and waits for
   * them as long as they make progress. If one callback makes none within the callback budget,
   * returns what it is stuck in; the worker goes on with the rest in the background.
   */
  private @Nullable String chooseAndClose(ScoringPass pass) throws InterruptedException {
    Runnable phases = () -> {
      IN_CALLBACKS.set(Boolean.TRUE);
      try {
        close(pass, choose(pass));
      } finally {
        IN_CALLBACKS.remove();
      }
    };
    CompletableFuture<Void> done;
    try {
      done = CompletableFuture.runAsync(phases, engine.scorerThreads);
    } catch (RejectedExecutionException e) {
      phases.run(); // the manager is closing: no worker to hand off to
      return null;
    }
    long budget = engine.settings.callbackBudget().toNanos();
    long seen = progress;
    for (;;) {
      try {
        done.get(budget, TimeUnit.NANOSECONDS);
        return null;
      } catch (TimeoutException e) {
        long now = progress;
        if (now == seen) {
          String stuck = doing;
          LOG.log(Level.WARNING, "connmgr round stopped waiting for " + stuck + ", which made no"
              + " progress in " + engine.settings.callbackBudget() + "; the round goes on in the"
              + " background");
          return stuck;
        }
        seen = now;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  /** Marks the start of a callback, for the report if it stalls. */
  private void calling(String what) {
    doing = what;
  }

  /** Marks a candidate decided or a connection closed: the round moves. */
  private void moved() {
    progress++;
  }

  // --- gather ---------------------------------------------------------------------------------

  private void gather() {
    protectionChangesAtGather = engine.protections.changes();
    long graceStart = nowNanos - engine.settings.gracePeriod().toNanos();
    for (PeerEntry peer : engine.table.peers()) {
      ConnectionEntry[] connections = peer.connectionArray();
      if (connections.length == 0) {
        continue;
      }
      boolean isProtected = peer.protectedFlag;
      int tagValue = peer.tagValue();
      boolean onlyConnection = connections.length == 1;
      for (ConnectionEntry c : connections) {
        if (c.state() != ConnectionEntry.OPEN) {
          continue;
        }
        SkipReason reason = heldBack(c, isProtected, ignoreGrace ? Long.MAX_VALUE : graceStart,
            nowNanos);
        if (reason != null) {
          skip(reason);
        } else {
          add(c, tagValue, tieKey(c, onlyConnection, nowNanos));
        }
      }
    }
  }

  /**
   * Why a round would not consider an open connection at all, before scoring; null for a
   * candidate.
   *
   * @param graceStart connections opened after this instant are in their grace period
   */
  static @Nullable SkipReason heldBack(ConnectionEntry c, boolean peerProtected, long graceStart,
      long nowNanos) {
    if (peerProtected) {
      return SkipReason.PROTECTED;
    }
    if (c.openedAtNanos > graceStart) {
      return SkipReason.GRACE;
    }
    if (c.hasActiveLease(nowNanos)) {
      return SkipReason.LEASED;
    }
    return null;
  }

  /** The tie-break key of a candidate, as {@link CandidateOrder#tieKey} defines it. */
  static long tieKey(ConnectionEntry c, boolean onlyConnectionOfPeer, long nowNanos) {
    return CandidateOrder.tieKey(c.streamCount() > 0, onlyConnectionOfPeer,
        c.direction == io.connmgr.Direction.OUTBOUND, nowNanos - c.openedAtNanos);
  }

  private void add(ConnectionEntry c, int tagValue, long tieKey) {
    if (count == candidates.length) {
      int grown = Math.max(16, count * 2);
      candidates = Arrays.copyOf(candidates, grown);
      score = Arrays.copyOf(score, grown);
      tie = Arrays.copyOf(tie, grown);
    }
    candidates[count] = c;
    score[count] = tagValue;
    tie[count] = tieKey;
    count++;
  }

  private synchronized void skip(SkipReason reason) {
    skipped[reason.ordinal()]++;
  }

  // --- choose ---------------------------------------------------------------------------------

  /** Plans the closes; returns, per planned connection, its candidate index. */
  private int[] choose(ScoringPass pass) {
    if (pass.hasScorers()) {
      for (int i = 0; i < count; i++) {
        if (pass.kept(i)) {
          score[i] = Double.POSITIVE_INFINITY;
          skip(SkipReason.KEPT_BY_SCORER);
        } else {
          score[i] += pass.scorersTotal(i);
        }
      }
    }
    CandidateOrder order = new CandidateOrder(score, tie, count);
    int[] chosen = new int[Math.min(target, count)];
    while (planned.size() < target && order.hasNext()) {
      int i = order.next(target - planned.size());
      ConnectionEntry c = candidates[i];
      if (score[i] == Double.POSITIVE_INFINITY) {
        break; // only connections a scorer kept are left
      } else if (c.state() != ConnectionEntry.OPEN) {
        continue;
      } else if (protectedSinceGather(c)) {
        skip(SkipReason.PROTECTED);
      } else if (c.hasActiveLease(nowNanos) || leaseListenerExtended(c)) {
        skip(SkipReason.LEASED);
      } else if (vetoed(c)) {
        skip(SkipReason.VETOED);
      } else {
        chosen[planned.size()] = i;
        planned.add(c);
      }
      moved();
    }
    return Arrays.copyOf(chosen, planned.size());
  }

  /**
   * Whether the candidate's peer is protected now. Gathering left out the peers protected then;
   * unless a protect or unprotect call completed since, that answer stands and the lookup is
   * saved (half of W1's lookups).
   */
  private boolean protectedSinceGather(ConnectionEntry c) {
    return engine.protections.changes() != protectionChangesAtGather
        && engine.protections.isProtected(c.peer.id, null);
  }

  /** Asks the listener of each elapsed, unreleased lease; true if one extended. */
  private boolean leaseListenerExtended(ConnectionEntry c) {
    boolean extended = false;
    for (LeaseImpl lease : c.leaseArray()) {
      if (!lease.elapsedAt(nowNanos)) {
        continue;
      }
      LeaseDecision decision;
      calling("the lease listener of connection " + c.id);
      try {
        decision = lease.listener.onExpiry(lease);
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.WARNING, "connmgr lease listener for " + lease + " threw; counts as release",
            e);
        decision = LeaseDecision.release();
      }
      boolean kept = decision != null && decision.extension().isPresent()
          && lease.extend(decision.extension().get());
      if (!kept) {
        lease.release();
      } else {
        engine.leaseExtended();
      }
      extended |= kept;
      LeaseDecision seen = decision == null ? LeaseDecision.release() : decision;
      engine.bus.fire(l -> l.onLeaseExpiry(lease, seen, kept));
    }
    return extended;
  }

  private boolean vetoed(ConnectionEntry c) {
    if (!engine.hasVetoes()) {
      return false;
    }
    calling("the vetoes of connection " + c.id);
    String veto = engine.vetoedBy(c, this);
    if (veto == null) {
      return false;
    }
    synchronized (this) {
      vetoCounts.merge(veto, 1, Integer::sum);
    }
    return true;
  }

  // --- close ----------------------------------------------------------------------------------

  private void close(ScoringPass pass, int[] chosen) {
    for (int k = 0; k < chosen.length; k++) {
      moved();
      int i = chosen[k];
      ConnectionEntry c = candidates[i];
      // Closers run one after another and may take a while, and callbacks may call back into the
      // manager: a peer protected, or a connection leased, since it was planned stays open.
      if (protectedSinceGather(c)) {
        skip(SkipReason.PROTECTED);
        continue;
      }
      // (a lease taken since the round began is active at its start too, so the round's instant
      // serves and saves a clock read per close)
      if (c.hasActiveLease(nowNanos)) {
        skip(SkipReason.LEASED);
        continue;
      }
      Map<String, Double> breakdown = c.peer.tagBreakdown();
      pass.forEachPart(i, (name, part) -> breakdown.put("scorer:" + name, part));
      // the record explains the score from the tags as they are now; if they changed since the
      // round ranked the candidate (an earlier closer may have retagged it), it says so
      double now = 0;
      for (double part : breakdown.values()) {
        now += part;
      }
      String ranked = now == score[i] ? "" : " (ranked at " + format(score[i])
          + " before its tags changed during the round)";
      EvictionRecord record = new EvictionRecord(startedAt, c.id, c.peer.id, c.direction, trigger,
          why + "; score " + format(now) + ranked + ", " + ordinal(k + 1) + " lowest of " + count
              + " candidates",
          now, breakdown);
      calling("the closer of connection " + c.id);
      switch (engine.closeByManager(c, record)) {
        case CLOSED -> {
          synchronized (this) {
            evicted.add(record);
          }
        }
        case FAILED -> skip(SkipReason.CLOSE_FAILED);
        case GONE -> { }
      }
    }
  }

  static String format(double score) {
    return score == Math.rint(score) && Math.abs(score) < 1e15
        ? Long.toString((long) score)
        : String.format(Locale.ROOT, "%.2f", score);
  }

  private static String ordinal(int n) {
    int mod100 = n % 100;
    String suffix = mod100 >= 11 && mod100 <= 13 ? "th"
        : switch (n % 10) {
          case 1 -> "st";
          case 2 -> "nd";
          case 3 -> "rd";
          default -> "th";
        };
    return n + suffix;
  }
}
