package io.connmgr.benchmarks;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * W1's round, round after round in one fresh JVM, as {@link TrimBenchmark} runs it (a fresh
 * manager, two full GCs, one timed {@code trim()}, checked): the median wall time and CPU time of
 * rounds 41–60 (what JMH's W1 measures after its 40 warm-up rounds, the round's code still partly
 * interpreted) and of the second half of the rounds (the JIT done). A tool for taking a round apart
 * between {@code bench/run}s; the figures to quote are {@code bench/run}'s.
 *
 * <p>Usage: {@code RoundTimes [n] [rounds] [each]} (defaults 1 000 and 60); prints one line per
 * window, {@code W1 n=<n> rounds=<from>-<to> wall_median_ms=<m> cpu_median_ms=<c>}. With {@code
 * each}, it also prints {@code === round <r> start} before each round and {@code === round <r> end
 * wall_ms=<w> cpu_ms=<c>} after it, so that the JIT's output ({@code -XX:+PrintCompilation}, or the
 * stamps of {@code -XX:+LogCompilation}) can be set against the rounds.
 */
public final class RoundTimes {

  private RoundTimes() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    PrintStream each = args.length > 2 && args[2].equals("each") ? System.out : null;
    long[][] times = run(n, rounds, each);
    if (rounds >= 60) {
      print(n, times, 40, 60);
    }
    print(n, times, rounds / 2, rounds);
  }

  /**
   * Runs {@code rounds} rounds of W1 at {@code n}; each round's wall time ({@code [0][r]}) and CPU
   * time of the trimming and callback threads ({@code [1][r]}), in nanoseconds; each round printed
   * to {@code each} as it runs, unless that is null.
   */
  public static long[][] run(int n, int rounds, @Nullable PrintStream each) {
    long[][] times = new long[2][rounds];
    for (int r = 0; r < rounds; r++) {
      TrimWorkload w = new TrimWorkload(n, false);
      Fixture.settleHeap();
      if (each != null) {
        each.println("=== round " + (r + 1) + " start");
      }
      w.startCpuClock();
      long start = System.nanoTime();
      w.trim();
      times[0][r] = System.nanoTime() - start;
      w.stopCpuClock();
      w.check();
      times[1][r] = w.cpuNanos();
      w.close();
      if (each != null) {
        each.printf(
            Locale.ROOT,
            "=== round %d end wall_ms=%.3f cpu_ms=%.3f%n",
            r + 1,
            times[0][r] / 1e6,
            times[1][r] / 1e6);
      }
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
