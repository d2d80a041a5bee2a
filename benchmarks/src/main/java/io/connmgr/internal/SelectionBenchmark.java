package io.connmgr.internal;

import io.connmgr.benchmarks.Fixture;
import io.connmgr.benchmarks.SplitMix64;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.NullMarked;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the selection buys: the round's {@link CandidateOrder} taking the k lowest of n candidates
 * (quickselect, then a sort of the batch) against a full sort of the same candidates first. The
 * scores are W1's weights; the tie-break keys are the fixture's streams and directions and random
 * ages.
 *
 * <p>It lives in the core's internal package (on the benchmarks' class path only) because {@link
 * CandidateOrder} is package-private: the core's module does not export it and no API hands it out.
 */
@NullMarked
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class SelectionBenchmark {

  @Param({"100000"})
  public int n;

  /** How many to take: n/2 (W1's round) or n/100. */
  @Param({"50000", "1000"})
  public int k;

  double[] score;
  long[] tie;

  @Setup(Level.Trial)
  public void setUp() {
    int[] weights = Fixture.weights(n);
    SplitMix64 ages = new SplitMix64(3);
    score = new double[n];
    tie = new long[n];
    for (int i = 0; i < n; i++) {
      score[i] = weights[i];
      tie[i] =
          CandidateOrder.tieKey(Fixture.streams(i) > 0, true, i % 2 == 1, ages.intn(1_000_000_000));
    }
  }

  @Benchmark
  public long selectK() {
    CandidateOrder order = new CandidateOrder(score, tie, n);
    return take(order);
  }

  @Benchmark
  public long sortAllThenTakeK() {
    CandidateOrder order = new CandidateOrder(score, tie, n);
    order.sortAll();
    return take(order);
  }

  long take(CandidateOrder order) {
    long acc = 0;
    for (int j = 0; j < k; j++) {
      acc = acc * 31 + order.next(k - j);
    }
    return acc;
  }
}
