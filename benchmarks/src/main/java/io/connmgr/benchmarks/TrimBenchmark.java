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
 * W1: one {@code trim()} of a fresh manager at N connections, closing N/2 of them. Each invocation
 * gets its own manager; only the round is timed, and each round is checked afterwards (see {@link
 * TrimWorkload#check}): a violation fails the run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// 40 warm-up rounds: at N = 1 000 ten rounds leave the round's loops interpreted or in C1, and
// a service trims far more often than that over its life
@Warmup(iterations = 40)
@Measurement(iterations = 20)
@Fork(1)
public class TrimBenchmark {

  @Param({"1000", "10000", "100000"})
  public int n;

  /**
   * Without the starter's metrics, with them but without the score distributions, or with every
   * meter (issue 16): see {@link TrimWorkload.Meters}.
   */
  @Param({"none", "counters", "full"})
  public String metrics = "none";

  /** Null between invocations: the torn-down workload's 100 000 connections are garbage then. */
  @Nullable TrimWorkload plain;

  @Setup(Level.Invocation)
  public void setUp() {
    plain = new TrimWorkload(n, false, TrimWorkload.Meters.of(metrics));
    Fixture.settleHeap();
    workload().startCpuClock();
  }

  @Benchmark
  public TrimReport w1Trim() {
    return workload().trim();
  }

  private long lastCpuNanos = -1;
  private long lastRecorderCpuNanos;

  private TrimWorkload workload() {
    return Objects.requireNonNull(plain, "setUp runs before each invocation");
  }

  @TearDown(Level.Invocation)
  public void check() {
    TrimWorkload done = workload();
    done.stopCpuClock();
    done.check();
    lastCpuNanos = done.cpuNanos();
    lastRecorderCpuNanos = done.recorderCpuNanos();
    done.close();
    plain = null;
  }

  /**
   * Prints the measured round's CPU time (one round per single-shot iteration) and that of the
   * score distributions' recorder after it, for bench/run's table: on a shared machine the wall
   * time also holds other processes' time slices.
   */
  @TearDown(Level.Iteration)
  public void reportCpu(IterationParams iteration) {
    if (iteration.getType() == IterationType.MEASUREMENT && lastCpuNanos >= 0) {
      TrimWorkload.printCpu("w1Trim", n, metrics, lastCpuNanos, lastRecorderCpuNanos);
    }
  }
}
