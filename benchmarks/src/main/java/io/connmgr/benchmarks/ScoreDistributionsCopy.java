package io.connmgr.benchmarks;

import io.connmgr.ConnectionManagerListener;
import io.connmgr.RoundScores;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the starter's score distributions cost per round: a copy of every considered connection's
 * score, outcome and scorer answers, made on the listener's callback thread (the histograms are
 * then filled on another thread). W1 and W6 add it with {@code -Dbench.distributions=true}
 * ({@code -jvmArgsAppend}), to compare with and without; the copy's own CPU time is kept, a
 * figure a busy machine disturbs less than the round's wall time.
 */
final class ScoreDistributionsCopy implements ConnectionManagerListener {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Whether this run measures with the distributions ({@code -Dbench.distributions=true}). */
  static boolean requested() {
    return Boolean.getBoolean("bench.distributions");
  }

  /** How many of the last round's copied connections were closed; checked after the round. */
  volatile int closedCopied = -1;
  /** Counted down by the first copy: listeners hear a round on a callback thread, after it. */
  final CountDownLatch copiedOnce = new CountDownLatch(1);
  /** The CPU time of the last round's copy, in nanoseconds; -1 before a round. */
  volatile long cpuNanos = -1;

  @Override
  public void onRoundScores(RoundScores round) {
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    int n = round.considered();
    int scorers = round.scorers().size();
    double[] scores = new double[n];
    boolean[] closed = new boolean[n];
    int[] answers = new int[n * scorers];
    int closedCount = 0;
    for (int i = 0; i < n; i++) {
      scores[i] = round.score(i);
      closed[i] = round.closed(i);
      closedCount += closed[i] ? 1 : 0;
      for (int s = 0; s < scorers; s++) {
        answers[i * scorers + s] = round.answer(s, i);
      }
    }
    closedCopied = closedCount;
    cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuBefore;
    copiedOnce.countDown();
  }

  /** How many closed connections the first round's copy held, once it is done; -1 if never. */
  int awaitClosedCopied() {
    try {
      return copiedOnce.await(60, TimeUnit.SECONDS) ? closedCopied : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
