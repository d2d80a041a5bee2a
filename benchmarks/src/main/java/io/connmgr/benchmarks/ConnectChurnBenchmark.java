package io.connmgr.benchmarks;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * W3: connect+disconnect pairs from 2 threads while 10 000 base peers stay connected and tagged.
 * Each thread has its own pool of 5 000 other peers and picks one at random per pair.
 *
 * <p>25 seconds of warm-up, not 3: a pair allocates about 220 bytes, and until a fresh JVM's 4 GB
 * heap has been written once, G1 keeps handing out eden regions whose pages the kernel has never
 * mapped. On this project's virtual machine each first touch is a page fault that took most of a
 * pair's time (W3 on one thread: 0.9 M pairs/s while the heap fills, 4.2 M once it is full, and
 * 3.1-3.9 M with {@code -XX:+AlwaysPreTouch} from the start), and filling the heap takes 12-16
 * seconds. A service's heap is written once and stays mapped: the figure after the warm-up is the
 * one it sees, and the one go's small, reused heap sees from the start. docs/performance.md has the
 * iteration traces.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 25, time = 1)
@Measurement(iterations = 10, time = 1)
@Threads(2)
@Fork(1)
public class ConnectChurnBenchmark {

  public static final int BASE = 10_000;
  public static final int POOL = 5_000;
  public static final int MAX_THREADS = 2;

  /** The manager with its base peers. */
  @State(Scope.Benchmark)
  public static class Base {
    ConnectionManager cm;
    PeerId[] peers;

    @Setup(Level.Trial)
    public void setUp() {
      peers = Fixture.peers(BASE + MAX_THREADS * POOL);
      int[] weights = Fixture.weights(BASE);
      cm =
          ConnectionManager.builder()
              .lowWater(2 * BASE)
              .highWater(3 * BASE)
              .maintenanceInterval(Duration.ZERO)
              .build();
      for (int i = 0; i < BASE; i++) {
        Fixture.connect(cm, peers[i], i, Fixture.NO_OP_CLOSER);
        cm.tagPeer(peers[i], "weight", weights[i]);
      }
    }

    /** The base peers alone are left once every pair closed what it opened. */
    public void check() {
      if (cm.connectionCount() != BASE || cm.peerCount() != BASE) {
        throw new IllegalStateException(
            "W3: "
                + cm.connectionCount()
                + " connections and "
                + cm.peerCount()
                + " peers after the churn, expected "
                + BASE);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check();
      cm.close();
    }
  }

  /** One thread's pool of peers and its draws. */
  @State(Scope.Thread)
  public static class Pool {
    PeerId[] pool;
    Direction[] directions;
    String[] addresses;
    SplitMix64 rng;

    @Setup(Level.Trial)
    public void setUp(Base base, ThreadParams thread) {
      init(base, thread.getThreadIndex());
    }

    final void init(Base base, int g) {
      if (g >= MAX_THREADS) {
        throw new IllegalStateException("W3 has pools for " + MAX_THREADS + " threads");
      }
      pool = new PeerId[POOL];
      directions = new Direction[POOL];
      addresses = new String[POOL];
      for (int j = 0; j < POOL; j++) {
        int i = BASE + g * POOL + j;
        pool[j] = base.peers[i];
        directions[j] = Fixture.direction(i);
        addresses[j] = Fixture.address(i);
      }
      rng = new SplitMix64(200 + g);
    }
  }

  /** The same body on one thread: the same-run baseline that shows how the two threads scale. */
  @Benchmark
  @Threads(1)
  public void w3ConnectDisconnectOneThread(Base b, Pool p) {
    w3ConnectDisconnect(b, p);
  }

  @Benchmark
  public void w3ConnectDisconnect(Base b, Pool p) {
    int j = p.rng.intn(POOL);
    b.cm
        .connectionOpened(p.pool[j], p.directions[j], p.addresses[j], Fixture.NO_OP_CLOSER)
        .closed();
  }
}
