package io.connmgr.benchmarks;

import io.connmgr.TrimReport;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * W6: W1 at N = 100 000 with three scorers registered (a peer scorer, a connection scorer reading
 * typed state through an {@code AttachmentKey}, a stream scorer), to show what pull scoring costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(1)
public class ScoredTrimBenchmark {

  @Param({"100000"})
  public int n;

  TrimWorkload scored;

  @Setup(Level.Invocation)
  public void setUp() {
    scored = new TrimWorkload(n, true);
    Fixture.settleHeap();
  }

  @Benchmark
  public TrimReport w6TrimWithScorers() {
    return scored.trim();
  }

  private long lastDistributionsCpuNanos = -1;

  @TearDown(Level.Invocation)
  public void check() {
    scored.check();
    lastDistributionsCpuNanos = scored.distributionsCpuNanos();
    scored.close();
    scored = null;
  }

  /** With {@code -Dbench.distributions=true}: prints the CPU time of the round's copy. */
  @TearDown(Level.Iteration)
  public void reportCpu(IterationParams iteration) {
    if (iteration.getType() == IterationType.MEASUREMENT && lastDistributionsCpuNanos >= 0) {
      System.out.println("cpu-time w6Distributions n=" + n + " ns=" + lastDistributionsCpuNanos);
    }
  }
}
