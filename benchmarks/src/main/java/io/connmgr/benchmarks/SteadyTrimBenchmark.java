package io.connmgr.benchmarks;

import io.connmgr.TrimReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W1 in a JVM whose JIT has compiled the round: {@link TrimBenchmark}'s round after 1 500 warm-up
 * rounds instead of 40. {@code bench/run} runs it at N = 1 000 only, where 40 rounds leave the
 * round's loops interpreted or in C1 (500 closes a round stay below HotSpot's on-stack-replacement
 * threshold); at 10 000 and more, 40 rounds are enough. A service that trims for days runs this
 * code, so both figures are in the table: the cold one and this one.
 */
@Warmup(iterations = 1500)
@Measurement(iterations = 40)
public class SteadyTrimBenchmark extends TrimBenchmark {

  /** The same round as {@link TrimBenchmark#w1Trim}, under its own name for the table. */
  @Benchmark
  public TrimReport w1TrimSteady() {
    return w1Trim();
  }
}
