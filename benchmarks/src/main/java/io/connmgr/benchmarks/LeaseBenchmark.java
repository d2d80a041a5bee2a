package io.connmgr.benchmarks;

import io.connmgr.ConnectionManager;
import io.connmgr.LeaseDecision;
import io.connmgr.LeaseListener;
import io.connmgr.ManagedConnection;
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
 * W7: lease/release pairs from 2 threads on 10 000 connections; thread g leases connections from
 * its own half, in turn.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Threads(2)
@Fork(1)
public class LeaseBenchmark {

  static final Duration LENGTH = Duration.ofSeconds(30);
  static final LeaseListener LISTENER = lease -> LeaseDecision.release();

  /** The manager and its connections. */
  @State(Scope.Benchmark)
  public static class Connections {
    public int n = 10_000;
    ConnectionManager cm;
    ManagedConnection[] connections;

    @Setup(Level.Trial)
    public void setUp() {
      PeerId[] peers = Fixture.peers(n);
      cm =
          ConnectionManager.builder()
              .lowWater(n)
              .highWater(2 * n)
              .maintenanceInterval(Duration.ZERO)
              .build();
      connections = new ManagedConnection[n];
      for (int i = 0; i < n; i++) {
        connections[i] = Fixture.connect(cm, peers[i], i, Fixture.NO_OP_CLOSER);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      int active = cm.stats().activeLeases();
      if (active != 0) {
        throw new IllegalStateException("W7: " + active + " leases still held after release");
      }
      cm.close();
    }
  }

  /** One thread's half of the connections and its position in it. */
  @State(Scope.Thread)
  public static class Turn {
    int from;
    int size;
    int next;

    @Setup(Level.Trial)
    public void setUp(Connections c, ThreadParams thread) {
      init(c, thread.getThreadIndex(), thread.getThreadCount());
    }

    void init(Connections c, int g, int threads) {
      size = c.n / threads;
      from = g * size;
    }
  }

  @Benchmark
  public void w7LeaseRelease(Connections c, Turn t) {
    int i = t.from + t.next;
    t.next = t.next + 1 == t.size ? 0 : t.next + 1;
    c.connections[i].lease(LENGTH, LISTENER).release();
  }
}
