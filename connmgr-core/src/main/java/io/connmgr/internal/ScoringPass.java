package io.connmgr.internal;

import io.connmgr.Score;
import io.connmgr.ScorerFailure;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjIntConsumer;

/**
 * Scores a list of connections with every registered scorer, each subject at most once.
 *
 * <p>The calls run on a worker thread while the calling thread watches the clock: a call that
 * runs past the budget is not waited for. The watcher marks it as timed out (worth 0) and starts a
 * fresh worker at the next call; the stuck worker, when it returns, finds itself abandoned and
 * stops without writing anything. So a scorer that hangs costs a round one budget, never more.
 * Connections are expected grouped by peer, so peer scorers run once per peer.
 */
final class ScoringPass {

  private final ScorerRegistry.ScorerSet set;
  private final ConnectionEntry[] connections;
  private final int n;
  private final int cols;
  private final long budgetNanos;

  /** Raw result per connection and scorer column; stream columns hold the sum over streams. */
  private final int[] raw;
  private final long[] calls;
  private final long[] nanos;
  private final long[] maxNanos;
  private final long[] errors;
  private final long[] timeouts;
  private final long[] clamped;

  ScoringPass(ScorerRegistry.ScorerSet set, ConnectionEntry[] connections, int n,
      long budgetNanos) {
    this.set = set;
    this.connections = connections;
    this.n = n;
    this.cols = set.all.length;
    this.budgetNanos = budgetNanos;
    this.raw = new int[n * cols];
    this.calls = new long[cols];
    this.nanos = new long[cols];
    this.maxNanos = new long[cols];
    this.errors = new long[cols];
    this.timeouts = new long[cols];
    this.clamped = new long[cols];
  }

  /** Runs every call; returns when all are done or given up on. */
  void run(Executor executor) throws InterruptedException {
    if (cols == 0 || n == 0) {
      return;
    }
    Worker worker = new Worker(0, 0);
    executor.execute(worker);
    for (;;) {
      long status = worker.status;
      if (worker.finished.getCount() == 0) {
        break;
      }
      long wait = budgetNanos;
      if ((status & 1) == 1) {
        long deadline = worker.callStart + budgetNanos;
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          if (worker.abandon(status)) {
            int col = worker.column;
            calls[col]++;
            nanos[col] += now - worker.callStart;
            maxNanos[col] = Math.max(maxNanos[col], now - worker.callStart);
            timeouts[col]++;
            set.all[col].logFailureOnce("ran past its budget of " + budgetNanos / 1_000_000.0
                + " ms and was not waited for", null);
            worker = new Worker(worker.index, worker.call + 1);
            executor.execute(worker);
          }
          continue;
        }
        wait = deadline - now;
      }
      worker.finished.await(wait, TimeUnit.NANOSECONDS);
    }
    if (worker.failure != null) {
      throw new IllegalStateException("scoring pass failed", worker.failure);
    }
  }

  /** Whether any scorer is registered; without one, every total is 0 and nothing is kept. */
  boolean hasScorers() {
    return cols > 0;
  }

  /** Whether a scorer returned {@link Score#KEEP} for connection {@code i}. */
  boolean kept(int i) {
    for (int col = 0; col < cols; col++) {
      if (raw[i * cols + col] == Score.KEEP) {
        return true;
      }
    }
    return false;
  }

  /** The weighted sum of the scorers' results for connection {@code i}. */
  double scorersTotal(int i) {
    double sum = 0;
    for (int col = 0; col < cols; col++) {
      sum += set.all[col].weight * raw[i * cols + col];
    }
    return sum;
  }

  /** Each scorer's weighted contribution to connection {@code i}, by scorer name. */
  void forEachPart(int i, java.util.function.ObjDoubleConsumer<String> part) {
    for (int col = 0; col < cols; col++) {
      part.accept(set.all[col].name, set.all[col].weight * raw[i * cols + col]);
    }
  }

  /**
   * Adds this pass's figures to each scorer's totals (a round's or an assessment's) and reports
   * failures to {@code sink}.
   */
  void publish(boolean assessment, ObjIntConsumer<FailureEvent> sink) {
    for (int col = 0; col < cols; col++) {
      RegisteredScorer s = set.all[col];
      if (assessment) {
        s.recordAssessment(calls[col], nanos[col], errors[col], timeouts[col], clamped[col]);
      } else {
        s.record(calls[col], nanos[col], maxNanos[col], errors[col], timeouts[col], clamped[col]);
      }
      report(sink, s, ScorerFailure.ERROR, errors[col]);
      report(sink, s, ScorerFailure.TIMEOUT, timeouts[col]);
      report(sink, s, ScorerFailure.CLAMPED, clamped[col]);
    }
  }

  private static void report(ObjIntConsumer<FailureEvent> sink, RegisteredScorer s,
      ScorerFailure failure, long count) {
    if (count > 0) {
      sink.accept(new FailureEvent(s.name, failure), (int) Math.min(Integer.MAX_VALUE, count));
    }
  }

  /** A scorer's failure of one kind; reported with its count for the pass. */
  record FailureEvent(String scorer, ScorerFailure failure) {}

  /** Thrown inside an abandoned worker to unwind it; never escapes. */
  private static final class Abandoned extends RuntimeException {
    private static final Abandoned INSTANCE = new Abandoned();

    private Abandoned() {
      super(null, null, false, false);
    }
  }

  /** Runs the calls from one position on; gives up silently once abandoned. */
  private final class Worker implements Runnable {

    private static final long ABANDONED = -1;
    private static final VarHandle STATUS;

    static {
      try {
        STATUS = MethodHandles.lookup().findVarHandle(Worker.class, "status", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final CountDownLatch finished = new CountDownLatch(1);
    /** Even between calls, odd during one; the watcher's CAS to ABANDONED ends the worker. */
    volatile long status;
    volatile long callStart;
    /** The position of the call under way; stable while status is odd. */
    int index;
    int call;
    int column;
    volatile Throwable failure;

    private final int startCall;
    private long lastTick;

    Worker(int startIndex, int startCall) {
      this.index = startIndex;
      this.startCall = startCall;
    }

    boolean abandon(long observed) {
      return STATUS.compareAndSet(this, observed, ABANDONED);
    }

    @Override
    public void run() {
      try {
        lastTick = System.nanoTime();
        for (int i = index; i < n; i++) {
          scoreConnection(i, i == index ? startCall : 0);
        }
      } catch (Abandoned e) {
        return;
      } catch (Throwable t) {
        failure = t;
      }
      finished.countDown();
    }

    private void scoreConnection(int i, int skip) {
      ConnectionEntry c = connections[i];
      int base = i * cols;
      int position = 0;
      boolean samePeer = i > 0 && connections[i - 1].peer == c.peer;
      for (int col : set.peerColumns) {
        if (position++ < skip) {
          continue;
        }
        raw[base + col] = samePeer
            ? raw[base - cols + col]
            : call(i, position - 1, col, s -> s.score(c.peer));
      }
      for (int col : set.connectionColumns) {
        if (position++ < skip) {
          continue;
        }
        raw[base + col] = call(i, position - 1, col, s -> s.score(c));
      }
      if (set.streamColumnsByProtocol.isEmpty()) {
        return;
      }
      for (StreamEntry stream : c.streamArray()) {
        int[] streamCols = set.streamColumnsByProtocol.get(stream.protocol);
        if (streamCols == null) {
          continue;
        }
        for (int col : streamCols) {
          if (position++ < skip) {
            continue;
          }
          int value = call(i, position - 1, col, s -> s.score(stream));
          int sum = raw[base + col];
          raw[base + col] = value == Score.KEEP || sum == Score.KEEP ? Score.KEEP : sum + value;
        }
      }
    }

    private int call(int i, int position, int col, java.util.function.ToIntFunction<RegisteredScorer> fn) {
      RegisteredScorer scorer = set.all[col];
      index = i;
      call = position;
      column = col;
      callStart = lastTick;
      long inCall = status + 1;
      status = inCall;
      int value = 0;
      Throwable error = null;
      try {
        value = fn.applyAsInt(scorer);
      } catch (RuntimeException | LinkageError | StackOverflowError e) {
        error = e;
      }
      long now = System.nanoTime();
      long took = now - lastTick;
      lastTick = now;
      if (!STATUS.compareAndSet(this, inCall, inCall + 1)) {
        throw Abandoned.INSTANCE;
      }
      calls[col]++;
      nanos[col] += took;
      maxNanos[col] = Math.max(maxNanos[col], took);
      if (error != null) {
        errors[col]++;
        scorer.logFailureOnce("threw " + error, error);
        return 0;
      }
      if (took > budgetNanos) {
        timeouts[col]++;
        scorer.logFailureOnce("took " + took / 1_000_000.0 + " ms, past its budget", null);
        return 0;
      }
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
}
