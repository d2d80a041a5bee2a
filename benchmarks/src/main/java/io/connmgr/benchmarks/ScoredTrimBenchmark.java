package io.connmgr.benchmarks;

import io.connmgr.TrimReport;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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

  /**
   * Without the starter's metrics, with them but without the score distributions, or with every
   * meter (issue 16): see {@link TrimWorkload.Meters}.
   */
  @Param({"none", "counters", "full"})
  public String metrics = "none";

  /** Null between invocations: the torn-down workload's 100 000 connections are garbage then. */
  @Nullable TrimWorkload scored;

  @Setup(Level.Invocation)
  public void setUp() {
    scored = new TrimWorkload(n, true, TrimWorkload.Meters.of(metrics));
    Fixture.settleHeap();
    workload().startCpuClock();
  }

  @Benchmark
  public TrimReport w6TrimWithScorers() {
    return workload().trim();
  }

  private TrimWorkload workload() {
    return Objects.requireNonNull(scored, "setUp runs before each invocation");
  }

  private long lastCpuNanos = -1;
  private long lastRecorderCpuNanos;

  @TearDown(Level.Invocation)
  public void check() {
    TrimWorkload done = workload();
    done.stopCpuClock();
    done.check();
    lastCpuNanos = done.cpuNanos();
    lastRecorderCpuNanos = done.recorderCpuNanos();
    done.close();
    scored = null;
  }

  /** Prints the measured round's CPU time and its recorder's, as {@link TrimBenchmark} does. */
  @TearDown(Level.Iteration)
  public void reportCpu(IterationParams iteration) {
    if (iteration.getType() == IterationType.MEASUREMENT && lastCpuNanos >= 0) {
      TrimWorkload.printCpu("w6TrimWithScorers", n, metrics, lastCpuNanos, lastRecorderCpuNanos);
    }
  }
}
