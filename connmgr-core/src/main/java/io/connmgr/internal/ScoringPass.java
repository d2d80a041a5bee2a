package io.connmgr.internal;

import io.connmgr.Score;
import io.connmgr.Trigger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ObjDoubleConsumer;

/**
 * Scores a list of connections with every registered scorer, each subject at most once.
 *
 * <p>The calls run on a callback thread while another thread watches each against the scorer budget
 * (a {@link CallWatch}): a round's run of its own, or the caller's. A call that runs past it is not
 * waited for: its scorer is marked hung, the pass goes on from the next call on a fresh run, and
 * the hung scorer is not called again, in this pass or any other, until that call returns. So a
 * hanging scorer costs a round one budget and holds one thread, however many connections and rounds
 * follow.
 *
 * <p>A call that gives no answer (it threw, ran late, or its scorer hangs) leaves the connection
 * with the last answer it had: KEEP if the scorer's last answer for that subject was KEEP (it stays
 * kept), otherwise no answer, and a connection without every answer goes after every connection
 * whose score is known ({@link #late}). Connections are expected grouped by peer, so peer scorers
 * run once per peer.
 */
final class ScoringPass {

  /** The raw value of a call that gave no answer; outside every scorer's range. */
  static final int NO_ANSWER = io.connmgr.RoundScores.NO_ANSWER;

  private static final double[] NO_PARTS = {};

  private final ScorerRegistry.ScorerSet set;
  private final ConnectionEntry[] connections;
  private final int n;
  private final int cols;
  private final long budgetNanos;
  private final boolean assessment;

  /** Raw result per connection and scorer column; stream columns hold the sum over streams. */
  private final int[] raw;

  private final long[] calls;
  private final long[] nanos;
  private final long[] maxNanos;
  private final long[] errors;
  private final long[] timeouts;
  private final long[] clamped;
  private final Set<String> unanswered = new LinkedHashSet<>();
  private final String[] names;

  /** Where the next run starts: written by the watcher between runs. */
  private int nextIndex;

  private int nextPosition;

  /** Whether a run is in {@link #scoreRest}: see {@link #isScoring}. */
  private volatile boolean scoring;

  /** Where the current run is: the call under way, for the watcher when it gives up on it. */
  private volatile int atIndex;

  private volatile int atPosition;
  private volatile int atColumn;

  ScoringPass(
      ScorerRegistry.ScorerSet set,
      ConnectionEntry[] connections,
      int n,
      long budgetNanos,
      boolean assessment) {
    this.set = set;
    this.connections = connections;
    this.n = n;
    this.cols = set.all().length;
    this.budgetNanos = budgetNanos;
    this.assessment = assessment;
    this.raw = new int[n * cols];
    Arrays.fill(raw, NO_ANSWER);
    this.calls = new long[cols];
    this.nanos = new long[cols];
    this.maxNanos = new long[cols];
    this.errors = new long[cols];
    this.timeouts = new long[cols];
    this.clamped = new long[cols];
    this.names = new String[cols];
    for (int col = 0; col < cols; col++) {
      names[col] = set.all()[col].name();
    }
  }

  /**
   * Runs every call on callback threads, one run after another; returns when all are done or given
   * up on. What {@code assess()} and admission do; a round runs the pass inside its own run ({@link
   * #scoreRest}, {@link #callOverdue}, {@link #noThread}).
   */
  void run(CallbackSupervisor supervisor) throws InterruptedException {
    if (cols == 0 || n == 0) {
      return;
    }
    for (; ; ) {
      CallWatch watch = CallWatch.start(supervisor, "a scorer", this::scoreRest);
      CallWatch.Stall stall = watch.await(budgetNanos);
      if (stall == null) {
        return;
      }
      if (!stall.started()) {
        noThread();
        return;
      }
      callOverdue();
    }
  }

  /**
   * On a callback thread: makes the calls not made yet, each watched by {@code watch} against the
   * scorer budget. Resumes after the call a watcher gave up on ({@link #callOverdue}).
   */
  void scoreRest(CallWatch watch) {
    scoring = true;
    score(watch, nextIndex, nextPosition);
    scoring = false;
  }

  /**
   * Whether the pass is under way: a run given up on while this holds was given up on in a scorer
   * call (and {@link #callOverdue} applies).
   */
  boolean isScoring() {
    return scoring;
  }

  /**
   * For the watcher that gave up on a scorer call of {@link #scoreRest}: the scorer is hung until
   * that call returns, its connection has no answer from it, and the next run resumes after it.
   */
  void callOverdue() {
    int col = atColumn;
    RegisteredScorer scorer = set.all()[col];
    scorer.markHung();
    calls[col]++;
    timeouts[col]++;
    nanos[col] += budgetNanos;
    maxNanos[col] = Math.max(maxNanos[col], budgetNanos);
    unanswered.add(scorer.name());
    scorer.logFailureOnce(
        "ran past its budget of " + budgetNanos / 1_000_000.0 + " ms and was not waited for", null);
    nextIndex = atIndex;
    nextPosition = atPosition + 1;
    noAnswer(nextIndex, col, scorer);
    scoring = false;
  }

  /** For the watcher when no callback thread took a run up: what is left goes without an answer. */
  void noThread() {
    if (cols == 0) {
      return;
    }
    markRestUnanswered(nextIndex);
    scoring = false;
  }

  private void markRestUnanswered(int fromIndex) {
    for (int i = fromIndex; i < n; i++) {
      for (int col = 0; col < cols; col++) {
        if (raw[i * cols + col] == NO_ANSWER) {
          noAnswer(i, col, set.all()[col]);
        }
      }
    }
    for (RegisteredScorer s : set.all()) {
      unanswered.add(s.name());
    }
  }

  /** Records that scorer column {@code col} gave connection {@code i} no answer this pass. */
  private void noAnswer(int i, int col, RegisteredScorer scorer) {
    ConnectionEntry c = connections[i];
    int slot = i * cols + col;
    if (raw[slot] == Score.KEEP) {
      return;
    }
    boolean keep =
        switch (scorer.kind()) {
          case PEER -> scorer.lastAnswerWasKeep(c.peerEntry());
          case CONNECTION -> scorer.lastAnswerWasKeep(c);
          case STREAM -> anyStreamKept(c, scorer);
        };
    raw[slot] = keep ? Score.KEEP : NO_ANSWER;
  }

  private static boolean anyStreamKept(ConnectionEntry c, RegisteredScorer scorer) {
    for (StreamEntry s : c.streamArray()) {
      if (scorer.lastAnswerWasKeep(s)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any scorer is registered; without one, every total is 0 and nothing is kept. */
  boolean hasScorers() {
    return cols > 0;
  }

  /** Whether a scorer's answer (this pass's, or the last one standing in) is KEEP. */
  boolean kept(int i) {
    for (int col = 0; col < cols; col++) {
      if (raw[i * cols + col] == Score.KEEP) {
        return true;
      }
    }
    return false;
  }

  /** Whether some scorer gave connection {@code i} no answer: it goes after every known score. */
  boolean late(int i) {
    for (int col = 0; col < cols; col++) {
      if (raw[i * cols + col] == NO_ANSWER) {
        return true;
      }
    }
    return false;
  }

  /** The weighted sum of the answers for connection {@code i} (KEEP and no answer count 0). */
  double scorersTotal(int i) {
    double sum = 0;
    for (int col = 0; col < cols; col++) {
      int v = raw[i * cols + col];
      if (v != Score.KEEP && v != NO_ANSWER) {
        sum += set.all()[col].weight() * v;
      }
    }
    return sum;
  }

  /**
   * Each answering scorer's weighted contribution to connection {@code i}, by scorer name; a scorer
   * that gave no answer, or answered KEEP, has no part in the sum and is left out.
   */
  void forEachPart(int i, ObjDoubleConsumer<String> part) {
    for (int col = 0; col < cols; col++) {
      int v = raw[i * cols + col];
      if (v != Score.KEEP && v != NO_ANSWER) {
        part.accept(set.all()[col].name(), set.all()[col].weight() * v);
      }
    }
  }

  /** The scorers' names, by column (shared; not to be changed). */
  String[] scorerNames() {
    return names;
  }

  /**
   * Reads, changing nothing, what {@link #parts} of connection {@code i} will read: its row of
   * answers, a cache miss in a round's closing order. Returns what it read.
   */
  int readAhead(int i) {
    return cols == 0 ? 0 : raw[i * cols];
  }

  /**
   * Each scorer's weighted contribution to connection {@code i}, by column; NaN where a scorer gave
   * no answer or answered KEEP (it has no part in the sum).
   */
  double[] parts(int i) {
    if (cols == 0) {
      return NO_PARTS;
    }
    double[] parts = new double[cols];
    for (int col = 0; col < cols; col++) {
      int v = raw[i * cols + col];
      parts[col] = v != Score.KEEP && v != NO_ANSWER ? set.all()[col].weight() * v : Double.NaN;
    }
    return parts;
  }

  /** The scorers that gave no answer in time this pass (hung, or no thread to run on). */
  List<String> unanswered() {
    return new ArrayList<>(unanswered);
  }

  /**
   * The round's scores for listeners: {@code score} and {@code closed} are the round's, for the
   * same connections as this pass, which no longer writes its answers.
   */
  RoundScoresView scores(Trigger trigger, double[] score, long[] closed) {
    List<String> names = new ArrayList<>(cols);
    for (RegisteredScorer scorer : set.all()) {
      names.add(scorer.name());
    }
    return new RoundScoresView(trigger, n, score, closed, names, raw);
  }

  /** Adds this pass's figures to each scorer's totals (calls, time, failures). */
  void publish() {
    for (int col = 0; col < cols; col++) {
      RegisteredScorer s = set.all()[col];
      s.record(
          assessment,
          calls[col],
          nanos[col],
          maxNanos[col],
          errors[col],
          timeouts[col],
          clamped[col]);
    }
  }

  // --- the run on the callback thread ----------------------------------------------------------

  private long lastTick;

  private void score(CallWatch watch, int fromIndex, int fromPosition) {
    if (cols == 0) {
      return;
    }
    lastTick = System.nanoTime();
    for (int i = fromIndex; i < n; i++) {
      scoreConnection(watch, i, i == fromIndex ? fromPosition : 0);
    }
  }

  private void scoreConnection(CallWatch watch, int i, int skip) {
    ConnectionEntry c = connections[i];
    int base = i * cols;
    int position = 0;
    boolean samePeer = i > 0 && connections[i - 1].peerEntry() == c.peerEntry();
    for (int col : set.peerColumns()) {
      if (position++ < skip) {
        continue;
      }
      raw[base + col] =
          samePeer ? raw[base - cols + col] : call(watch, i, position - 1, col, c.peerEntry());
    }
    for (int col : set.connectionColumns()) {
      if (position++ < skip) {
        continue;
      }
      raw[base + col] = call(watch, i, position - 1, col, c);
    }
    if (set.streamColumnsByProtocol().isEmpty()) {
      return;
    }
    if (skip == 0) {
      for (int col : set.streamColumns()) {
        raw[base + col] = 0;
      }
    }
    for (StreamEntry stream : c.streamArray()) {
      int[] streamCols = set.streamColumnsByProtocol().get(stream.protocol());
      if (streamCols == null) {
        continue;
      }
      for (int col : streamCols) {
        if (position++ < skip) {
          continue;
        }
        int value = call(watch, i, position - 1, col, stream);
        int sum = raw[base + col];
        raw[base + col] =
            value == Score.KEEP || sum == Score.KEEP
                ? Score.KEEP
                : value == NO_ANSWER || sum == NO_ANSWER ? NO_ANSWER : sum + value;
      }
    }
  }

  /** One call; its answer, or KEEP standing in for a missing one, or {@link #NO_ANSWER}. */
  private int call(CallWatch watch, int i, int position, int col, Object subject) {
    RegisteredScorer scorer = set.all()[col];
    if (scorer.isHung()) {
      unanswered.add(scorer.name());
      return scorer.lastAnswerWasKeep(subject) ? Score.KEEP : NO_ANSWER;
    }
    atIndex = i;
    atPosition = position;
    atColumn = col;
    int value = 0;
    Throwable error = null;
    long watched = watch.calling(scorer.callbackName(), lastTick, budgetNanos);
    try {
      value = scorer.score(subject);
    } catch (Throwable e) { // whatever it threw counts as a throw: see CallbackFailed
      error = e;
    } finally {
      watch.returned(watched, scorer.returnedLate());
    }
    long now = System.nanoTime();
    long took = now - lastTick;
    lastTick = now;
    calls[col]++;
    nanos[col] += took;
    maxNanos[col] = Math.max(maxNanos[col], took);
    if (error != null) {
      errors[col]++;
      scorer.logFailureOnce("threw " + error, error);
      return scorer.lastAnswerWasKeep(subject) ? Score.KEEP : NO_ANSWER;
    }
    scorer.answered(subject, value == Score.KEEP);
    if (value == Score.KEEP) {
      return value;
    }
    if (value < Score.MIN || value > Score.MAX) {
      clamped[col]++;
      return Math.max(Score.MIN, Math.min(Score.MAX, value));
    }
    return value;
  }
}
