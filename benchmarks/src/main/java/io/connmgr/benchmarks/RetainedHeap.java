package io.connmgr.benchmarks;

import io.connmgr.Closer;
import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Arrays;

/**
 * W4: retained heap per peer with N = 100 000 peers, one connection and three tags each. Peer ids,
 * addresses and closers (the transport's objects) are allocated before the baseline; the handles
 * the manager returns are counted. Each run measures used heap after full GCs before and after; the
 * median of the runs is reported.
 *
 * <p>Usage: {@code RetainedHeap [n] [runs]}; prints {@code W4 bytes_per_peer <median> <min> <max>}.
 */
public final class RetainedHeap {

  private static final String[] TAGS = {"kad", "bitswap", "relay"};

  private RetainedHeap() {}

  public static void main(String[] args) throws InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    double[] perPeer = new double[runs];
    for (int r = 0; r < runs; r++) {
      perPeer[r] = measure(n);
      System.out.printf("W4 run %d: %.1f bytes per peer%n", r + 1, perPeer[r]);
    }
    double[] sorted = perPeer.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "W4 bytes_per_peer %.1f %.1f %.1f%n", median(sorted), sorted[0], sorted[runs - 1]);
  }

  /** One run: the retained bytes per peer of a manager holding n peers. */
  public static double measure(int n) throws InterruptedException {
    PeerId[] peers = Fixture.derivePeers(n);
    String[] addresses = new String[n];
    Direction[] directions = new Direction[n];
    Closer[] closers = new Closer[n];
    ManagedConnection[] handles = new ManagedConnection[n];
    for (int i = 0; i < n; i++) {
      addresses[i] = Fixture.address(i);
      directions[i] = Fixture.direction(i);
      int index = i;
      closers[i] = why -> handles[index] = null;
    }
    int[] weights = Fixture.weights(n);
    long before = usedAfterGc();
    ConnectionManager cm =
        ConnectionManager.builder()
            .lowWater(n)
            .highWater(2 * n)
            .maintenanceInterval(Duration.ZERO)
            .build();
    for (int i = 0; i < n; i++) {
      handles[i] = cm.connectionOpened(peers[i], directions[i], addresses[i], closers[i]);
      for (int t = 0; t < TAGS.length; t++) {
        cm.tagPeer(peers[i], TAGS[t], weights[i] + t);
      }
    }
    long after = usedAfterGc();
    if (cm.connectionCount() != n || cm.peerCount() != n) {
      throw new IllegalStateException(
          "W4: " + cm.connectionCount() + " connections, expected " + n);
    }
    Reference.reachabilityFence(cm);
    Reference.reachabilityFence(handles);
    Reference.reachabilityFence(peers);
    Reference.reachabilityFence(addresses);
    Reference.reachabilityFence(closers);
    cm.close();
    return (after - before) / (double) n;
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  static double median(double[] sorted) {
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }
}
