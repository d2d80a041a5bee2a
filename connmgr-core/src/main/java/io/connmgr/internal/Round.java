package io.connmgr.internal;

import io.connmgr.ConnectionView;
import io.connmgr.EvictionRecord;
import io.connmgr.Shortfall;
import io.connmgr.SkipReason;
import io.connmgr.Trigger;
import io.connmgr.TrimReport;
import io.connmgr.TrimRound;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One round: gather the candidates, score them, walk them in the policy's order past leases and
 * vetoes until the target is planned, then close the planned ones, checking the live count before
 * each close. Past gathering, the round runs on one callback thread, its callbacks inline, while
 * the caller waits: one hand-off per round. A scorer that does not return within its budget is
 * given up on and the round goes on from the next call on a fresh thread; when a veto, lease
 * listener or closer does not return within its budget, the round stops there and does nothing
 * more, so no round ever acts on a stale plan behind the next one's back. Its report explains every
 * close it did not make.
 */
final class Round implements TrimRound {

  private static final System.Logger LOG = System.getLogger(Round.class.getName());

  /** How many connections a round's loops walk in one call: see {@link #plan}. */
  static final int BATCH = 32;

  private final RoundParts parts;
  private final Trigger trigger;
  private final int target;
  private final int before;
  private final long nowNanos;
  private final Instant startedAt;
  private final RoundCause why;

  private final List<ConnectionEntry> planned = new ArrayList<>();
  private final List<ConnectionView> plannedView = Collections.unmodifiableList(planned);
  private final Map<String, Integer> vetoCounts = new TreeMap<>();

  /** What the round closed, in order. */
  private final List<EvictionRecord> evicted = new ArrayList<>();

  private final int[] closeSkips = new int[SkipReason.values().length];
  private final int[] shortfall = new int[Shortfall.values().length];
  private int[] chosen = new int[0];

  /** What {@link #readAhead} read, kept so that the JIT keeps the reads; never used otherwise. */
  @SuppressWarnings("UnusedVariable") // written so that the reads it sums are not optimized away
  private int readAheadSum;

  /** What the round tells listeners, handed to them in chunks rather than event by event. */
  private final ListenerBus.Batch events;

  /** The peers the round's closes left without connections: see {@link DepartedPeers}. */
  private final DepartedPeers departed;

  /** A bit per candidate the round closed, for {@link RoundScoresView}. */
  private long[] closedBits = new long[0];

  /**
   * @param target how many to close: the count not already being closed, less low water
   * @param before the open connections when it started
   */
  Round(RoundParts parts, Trigger trigger, int target, int before, long nowNanos) {
    this.parts = parts;
    this.trigger = trigger;
    this.target = Math.max(0, target);
    this.before = before;
    this.nowNanos = nowNanos;
    this.startedAt = parts.clock().instant();
    this.events = parts.bus().batch();
    this.why =
        new RoundCause(trigger, before, parts.settings().lowWater(), parts.settings().highWater());
    this.departed = parts.closes().departedPeers(trigger, nowNanos, startedAt);
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

  @Override
  public List<? extends ConnectionView> openConnections() {
    return parts.table().openConnections();
  }

  TrimReport run() throws InterruptedException {
    long began = System.nanoTime();
    String stalledOn = null;
    List<String> unanswered = List.of();
    int[] skipped = new int[SkipReason.values().length];
    if (target > 0) {
      CandidatePolicy.Field field =
          parts.policy().gather(nowNanos, trigger == Trigger.EMERGENCY, false);
      ScoringPass pass =
          new ScoringPass(
              parts.scorers().current(),
              field.connections(),
              field.size(),
              parts.settings().scorerBudget().toNanos(),
              false);
      stalledOn = runOnACallbackThread(field, pass);
      pass.publish();
      unanswered = pass.unanswered();
      for (SkipReason reason : SkipReason.values()) {
        skipped[reason.ordinal()] = field.skipped(reason) + closeSkips[reason.ordinal()];
      }
    }
    events.release();
    explainShortfall(stalledOn != null);
    EnumMap<SkipReason, Integer> skips = new EnumMap<>(SkipReason.class);
    for (SkipReason reason : SkipReason.values()) {
      skips.put(reason, skipped[reason.ordinal()]);
    }
    EnumMap<Shortfall, Integer> causes = new EnumMap<>(Shortfall.class);
    for (Shortfall cause : Shortfall.values()) {
      causes.put(cause, shortfall[cause.ordinal()]);
    }
    return new TrimReport(
        trigger,
        startedAt,
        Duration.ofNanos(System.nanoTime() - began),
        target,
        before,
        evicted,
        skips,
        vetoCounts,
        stalledOn,
        causes,
        unanswered);
  }

  /**
   * Hands the rest of the round to one callback thread and watches it: the one hand-off of a round
   * (gathering, the manager's own code, stays on the calling thread, where the connections it reads
   * were last touched as often as anywhere). A scorer call past its budget is given up on and the
   * round goes on from the next call on a fresh thread; any other callback past its budget ends the
   * round. Returns what it stopped waiting for, or null when the round ran to its end.
   */
  private @Nullable String runOnACallbackThread(CandidatePolicy.Field field, ScoringPass pass)
      throws InterruptedException {
    for (; ; ) {
      CallWatch watch =
          CallWatch.start(
              parts.supervisor(),
              "the round's callbacks",
              w -> parts.bus().holding(events, () -> work(w, field, pass)));
      CallWatch.Stall stall =
          watch.await(
              parts.settings().callbackBudget().toNanos(),
              parts.settings().scorerBudget().toNanos());
      if (stall == null) {
        return null;
      }
      if (stall.started() && pass.isScoring()) {
        pass.callOverdue();
        continue;
      }
      if (!stall.started()) {
        pass.noThread(); // no thread took the round up: its scorers gave no answer either
      }
      overdue(stall);
      LOG.log(
          Level.WARNING,
          "connmgr round stopped waiting for "
              + stall.describe()
              + (stall.started() ? ", which did not return within its budget" : "")
              + "; the round ends here");
      return stall.describe();
    }
  }

  /**
   * The round on its callback thread, callbacks inline: score (or resume scoring after a scorer
   * given up on), order, plan past leases and vetoes, close, and tell the listeners.
   */
  private void work(CallWatch watch, CandidatePolicy.Field field, ScoringPass pass) {
    pass.scoreRest(watch);
    CandidatePolicy.Walk walk = parts.policy().order(field, pass);
    plan(watch, field, walk);
    // a round stalled before this point ends (a veto or lease listener) or goes on from the next
    // scorer call on another thread; from here on, only this thread closes, and the peers its
    // closes leave without connections leave the map, their evictions recorded in the eviction
    // memory first, once the caller has its report
    watch.afterwards(() -> parts.table().forgetDeparted(departed));
    closePlanned(watch, field, pass);
    if (parts.bus().hears(ListenerEvent.ROUND_SCORES)) {
      RoundScoresView scores = pass.scores(trigger, field.scores(), closedBits);
      parts.bus().fire(ListenerEvent.ROUND_SCORES, l -> l.onRoundScores(scores));
    }
  }

  /** Marks the callback a watch gave up on, so nobody calls it again until it returns. */
  private void overdue(CallWatch.Stall stall) {
    if (stall.callback().startsWith("the veto ")) {
      parts.vetoes().markHung(stall.callback());
    } else if (stall.callback().startsWith("the lease listener ")) {
      parts.leases().askingIsOverdue();
    }
  }

  /** Whatever of the target was not closed and not explained on the way: stalled or exhausted. */
  private void explainShortfall(boolean stalled) {
    int explained = evicted.size();
    for (int n : shortfall) {
      explained += n;
    }
    int rest = target - explained;
    if (rest > 0) {
      shortfall[(stalled ? Shortfall.STALLED : Shortfall.CANDIDATES_EXHAUSTED).ordinal()] += rest;
    }
  }

  // --- plan -----------------------------------------------------------------------------------

  /**
   * Walks the candidates past leases and vetoes until the target is planned, their indices in
   * {@link #chosen}.
   *
   * <p>This loop and those of {@link #closePlanned} and {@link CandidatePolicy#gather} run once a
   * round, and a service trims a few times an hour: their bodies would stay interpreted for days
   * (HotSpot compiles a loop in place only after tens of thousands of iterations). Each step is a
   * method of its own, called once per connection, which the JIT compiles within a few rounds; and
   * each loop walks its connections {@link #BATCH} at a time in a method called once per batch, so
   * that the loop itself is compiled within a few rounds too.
   */
  private void plan(CallWatch watch, CandidatePolicy.Field field, CandidatePolicy.Walk walk) {
    chosen = new int[Math.min(target, field.size())];
    while (planned.size() < target && walk.hasNext()) {
      planBatch(watch, field, walk);
    }
  }

  /**
   * Plans up to {@link #BATCH} more candidates of the walk, after reading ahead what planning them
   * reads (their slots' state, flags and scores): the walk's order leaves them anywhere in memory,
   * and the checks of one candidate would otherwise wait for its misses before the next one's
   * start. W1 at 100 000: 85.3, 86.6 and 74.5 ms without, 68.1, 82.4 and 71.4 ms with.
   */
  private void planBatch(CallWatch watch, CandidatePolicy.Field field, CandidatePolicy.Walk walk) {
    int read = 0;
    for (int b = 0; b < BATCH; b++) {
      int i = walk.peek(b);
      if (i < 0) {
        break;
      }
      read += field.readAhead(i);
    }
    readAheadSum += read;
    for (int b = 0; b < BATCH && planned.size() < target && walk.hasNext(); b++) {
      planNext(watch, field, walk.next(target - planned.size()));
    }
  }

  /** Plans candidate {@code i}, or counts why it is held back. */
  private void planNext(CallWatch watch, CandidatePolicy.Field field, int i) {
    if (!field.stillOpen(i)) {
      return; // closed meanwhile: the count went down by itself
    }
    ConnectionEntry c = field.connection(i);
    SkipReason since = parts.policy().since(i, field);
    if (since != null) {
      closeSkips[since.ordinal()]++;
    } else if (field.mayBeLeased(i) && parts.leases().extended(c, nowNanos, watch)) {
      closeSkips[SkipReason.LEASED.ordinal()]++;
    } else if (vetoed(c, watch)) {
      closeSkips[SkipReason.VETOED.ordinal()]++;
    } else {
      chosen[planned.size()] = i;
      planned.add(c);
    }
  }

  private boolean vetoed(ConnectionEntry c, CallWatch watch) {
    String veto = parts.vetoes().vetoedBy(c, this, watch);
    if (veto == null) {
      return false;
    }
    vetoCounts.merge(veto, 1, Integer::sum);
    return true;
  }

  // --- close ----------------------------------------------------------------------------------

  private void closePlanned(CallWatch watch, CandidatePolicy.Field field, ScoringPass pass) {
    int lowWater = parts.settings().lowWater();
    closedBits = RoundScoresView.closedBits(field.size());
    for (int k = 0; k < planned.size(); k += BATCH) {
      if (!closeBatch(k, Math.min(k + BATCH, planned.size()), lowWater, watch, field, pass)) {
        return;
      }
    }
  }

  /**
   * Closes the planned candidates {@code from} to {@code to} (exclusive); false, the rest counted
   * as closed meanwhile, once the live count is down to low water.
   */
  private boolean closeBatch(
      int from,
      int to,
      int lowWater,
      CallWatch watch,
      CandidatePolicy.Field field,
      ScoringPass pass) {
    readAhead(from, to, field, pass);
    for (int k = from; k < to; k++) {
      // the live count, less what is being closed: other closes may have done this one's work
      if (parts.closes().countNotClosing() <= lowWater) {
        shortfall[Shortfall.CLOSED_MEANWHILE.ordinal()] += planned.size() - k;
        return false;
      }
      closePlannedAt(k, chosen[k], watch, field, pass);
    }
    return true;
  }

  /**
   * Reads what closing the planned candidates {@code from} to {@code to} (exclusive) will touch
   * before the first of them closes (see {@link Closes#readAhead}), among it the row of scorer
   * answers its record's breakdown copies (see {@link ScoringPass#readAhead}). Each close is a
   * chain of atomic operations, each a full fence on x86, so no cache miss of one close starts
   * before the last close ends; these plain reads let a batch's misses wait for memory together. In
   * a large round, whose closing order (lowest score first) leaves memory in no order, they take a
   * fifth off W1 at 100 000; where a round's state fits in the cache, they cost about nothing.
   */
  private void readAhead(int from, int to, CandidatePolicy.Field field, ScoringPass pass) {
    int read = 0;
    for (int k = from; k < to; k++) {
      int i = chosen[k];
      read +=
          field.readAhead(i) + pass.readAhead(i) + parts.closes().readAhead(field.connection(i));
    }
    readAheadSum += read;
  }

  /** Closes candidate {@code i}, the {@code k}-th planned, unless it closed or was held since. */
  private void closePlannedAt(
      int k, int i, CallWatch watch, CandidatePolicy.Field field, ScoringPass pass) {
    if (!field.stillOpen(i)) {
      shortfall[Shortfall.CLOSED_MEANWHILE.ordinal()]++;
      return;
    }
    ConnectionEntry c = field.connection(i);
    // closers run one after another and may call back into the manager: a peer protected, or
    // a connection leased, since it was planned stays open
    SkipReason since = parts.policy().since(i, field);
    if (since != null) {
      closeSkips[since.ordinal()]++;
      shortfall[Shortfall.HELD_BACK_SINCE_PLANNED.ordinal()]++;
      return;
    }
    RoundEviction explanation =
        new RoundEviction(
            why,
            c.peerEntry(),
            pass.scorerNames(),
            pass.parts(i),
            field.score(i),
            pass.late(i),
            k + 1,
            field.candidates());
    EvictionRecord record =
        EvictionRecord.explainedOnRead(
            startedAt, c.id(), c.peer(), c.direction(), trigger, explanation);
    switch (parts.closes().close(c, record, nowNanos, watch, explanation, departed)) {
      case CLOSED -> {
        RoundScoresView.markClosed(closedBits, i);
        evicted.add(record);
      }
      case FAILED -> {
        closeSkips[SkipReason.CLOSE_FAILED.ordinal()]++;
        shortfall[Shortfall.CLOSE_FAILED.ordinal()]++;
      }
      case GONE -> shortfall[Shortfall.CLOSED_MEANWHILE.ordinal()]++;
    }
  }
}
