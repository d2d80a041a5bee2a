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

/**
 * W1: one {@code trim()} of a fresh manager at N connections, closing N/2 of them. Each invocation
 * gets its own manager; only the round is timed, and each round is checked afterwards.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(1)
public class TrimBenchmark {

  @Param({"1000", "10000", "100000"})
  public int n;

  TrimWorkload plain;

  @Setup(Level.Invocation)
  public void setUp() {
    plain = new TrimWorkload(n, false);
  }

  @Benchmark
  public TrimReport w1Trim() {
    return plain.trim();
  }

  @TearDown(Level.Invocation)
  public void check() {
    plain.check();
    plain.close();
    plain = null;
  }
}
