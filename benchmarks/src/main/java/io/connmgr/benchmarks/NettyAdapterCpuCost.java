package io.connmgr.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link NettyAdapterBenchmark}'s two bodies timed by the CPU time of the calling thread rather
 * than by the wall clock, alternating in blocks: on a machine other processes keep busy, time spent
 * waiting for a core then stays out of the figure. Prints the median per open and close of each,
 * and their difference: what the Netty adapter costs a connection.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar io.connmgr.benchmarks.NettyAdapterCpuCost}
 * </pre>
 */
public final class NettyAdapterCpuCost {

  private static final int BLOCK = 20_000;
  private static final int BLOCKS = 21;

  private NettyAdapterCpuCost() {}

  /** Runs the measurement and prints the figures. */
  public static void main(String[] args) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    NettyAdapterBenchmark b = new NettyAdapterBenchmark();
    b.setUp();
    long[] with = new long[BLOCKS];
    long[] without = new long[BLOCKS];
    for (int warm = 0; warm < 5; warm++) {
      block(b, true, threads);
      block(b, false, threads);
    }
    for (int i = 0; i < BLOCKS; i++) {
      with[i] = block(b, true, threads);
      without[i] = block(b, false, threads);
    }
    b.tearDown();
    java.util.Arrays.sort(with);
    java.util.Arrays.sort(without);
    long w = with[BLOCKS / 2];
    long wo = without[BLOCKS / 2];
    System.out.printf(
        "netty adapter, CPU time per channel open+close (median of %d blocks of %d):"
            + " %d ns with, %d ns without, %d ns added%n",
        BLOCKS, BLOCK, w, wo, w - wo);
  }

  private static long block(NettyAdapterBenchmark b, boolean withAdapter, ThreadMXBean threads) {
    long start = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < BLOCK; i++) {
      if (withAdapter ? b.withAdapter() : b.withoutAdapter()) {
        throw new IllegalStateException("a channel stayed open");
      }
    }
    return (threads.getCurrentThreadCpuTime() - start) / BLOCK;
  }
}
