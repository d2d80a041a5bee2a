package io.connmgr.benchmarks;

import io.connmgr.ConnectionManager;
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
 * W2: tag churn on 10 000 connected peers from 2 threads. Thread g draws x from SplitMix64(100+g):
 * peer {@code x mod N}, tag {@code "t" + ((x>>>32)&3)}, and op {@code (x>>>40) mod 3}: tag with
 * weight {@code (x>>>48) mod 101}, upsert +1, or untag.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Threads(2)
@Fork(1)
public class TagChurnBenchmark {

  static final String[] TAGS = {"t0", "t1", "t2", "t3"};

  /** The manager and its 10 000 connected peers, shared by both threads. */
  @State(Scope.Benchmark)
  public static class Peers {
    public int n = 10_000;
    PeerId[] peers;
    ConnectionManager cm;

    @Setup(Level.Trial)
    public void setUp() {
      peers = Fixture.peers(n);
      cm =
          ConnectionManager.builder()
              .lowWater(n)
              .highWater(2 * n)
              .maintenanceInterval(Duration.ZERO)
              .build();
      for (int i = 0; i < n; i++) {
        Fixture.connect(cm, peers[i], i, Fixture.NO_OP_CLOSER);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (cm.connectionCount() != n || cm.peerCount() != n) {
        throw new IllegalStateException(
            "W2: "
                + cm.connectionCount()
                + " connections and "
                + cm.peerCount()
                + " peers after the churn, expected "
                + n);
      }
      cm.close();
    }
  }

  /** One thread's draws. */
  @State(Scope.Thread)
  public static class Draws {
    SplitMix64 rng;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      seed(thread.getThreadIndex());
    }

    final void seed(int g) {
      rng = new SplitMix64(100 + g);
    }
  }

  /** The same body on one thread: the same-run baseline that shows how the two threads scale. */
  @Benchmark
  @Threads(1)
  public void w2TagChurnOneThread(Peers p, Draws d) {
    w2TagChurn(p, d);
  }

  @Benchmark
  public void w2TagChurn(Peers p, Draws d) {
    long x = d.rng.next();
    PeerId peer = p.peers[(int) Long.remainderUnsigned(x, p.n)];
    String tag = TAGS[(int) ((x >>> 32) & 3)];
    switch ((int) ((x >>> 40) % 3)) {
      case 0 -> p.cm.tagPeer(peer, tag, (int) ((x >>> 48) % 101));
      case 1 -> p.cm.upsertTag(peer, tag, v -> v + 1);
      default -> p.cm.untagPeer(peer, tag);
    }
  }
}
