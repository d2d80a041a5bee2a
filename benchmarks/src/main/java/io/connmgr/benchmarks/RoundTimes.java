package io.connmgr.benchmarks;

import java.util.Arrays;

/**
 * W1's round, round after round in one fresh JVM, as {@link TrimBenchmark} runs it (a fresh
 * manager, two full GCs, one timed {@code trim()}, checked): the median wall time and CPU time of
 * rounds 41–60 (what JMH's W1 measures after its 40 warm-up rounds, the round's code still partly
 * interpreted) and of the second half of the rounds (the JIT done). A tool for taking a round apart
 * between {@code bench/run}s; the figures to quote are {@code bench/run}'s.
 *
 * <p>Usage: {@code RoundTimes [n] [rounds]} (defaults 1 000 and 60); prints one line per window,
 * {@code W1 n=<n> rounds=<from>-<to> wall_median_ms=<m> cpu_median_ms=<c>}.
 */
public final class RoundTimes {

  private RoundTimes() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    long[][] times = run(n, rounds);
    if (rounds >= 60) {
      print(n, times, 40, 60);
    }
    print(n, times, rounds / 2, rounds);
  }

  /**
   * Runs {@code rounds} rounds of W1 at {@code n}; each round's wall time ({@code [0][r]}) and CPU
   * time of the trimming and callback threads ({@code [1][r]}), in nanoseconds.
   */
  public static long[][] run(int n, int rounds) {
    long[][] times = new long[2][rounds];
    for (int r = 0; r < rounds; r++) {
      TrimWorkload w = new TrimWorkload(n, false);
      Fixture.settleHeap();
      long start = System.nanoTime();
      w.trim();
      times[0][r] = System.nanoTime() - start;
      w.check();
      times[1][r] = w.cpuNanos();
      w.close();
    }
    return times;
  }

  private static void print(int n, long[][] times, int from, int to) {
    System.out.printf(
        "W1 n=%d rounds=%d-%d wall_median_ms=%.3f cpu_median_ms=%.3f%n",
        n, from + 1, to, median(times[0], from, to) / 1e6, median(times[1], from, to) / 1e6);
  }

  private static long median(long[] values, int from, int to) {
    long[] window = Arrays.copyOfRange(values, from, to);
    Arrays.sort(window);
    return window[window.length / 2];
  }
}
