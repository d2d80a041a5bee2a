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

  /** With the starter's metrics, score distributions included, bound to a registry (issue 16). */
  @Param({"false", "true"})
  public boolean metrics;

  /** Null between invocations: the torn-down workload's 100 000 connections are garbage then. */
  @Nullable TrimWorkload scored;

  @Setup(Level.Invocation)
  public void setUp() {
    scored = new TrimWorkload(n, true, metrics);
    Fixture.settleHeap();
  }

  @Benchmark
  public TrimReport w6TrimWithScorers() {
    return workload().trim();
  }

  private TrimWorkload workload() {
    return Objects.requireNonNull(scored, "setUp runs before each invocation");
  }

  @TearDown(Level.Invocation)
  public void check() {
    TrimWorkload done = workload();
    done.check();
    done.close();
    scored = null;
  }
}
