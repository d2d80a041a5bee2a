package io.connmgr.benchmarks;

import io.connmgr.BumpFunctions;
import io.connmgr.ConnectionManager;
import io.connmgr.DecayFunctions;
import io.connmgr.DecayingTag;
import io.connmgr.PeerId;
import java.time.Duration;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * W5: one decay pass over 10 000 connected peers, each bumped +100 on one decaying tag with {@code
 * fixed(1)}. A manual clock moved by exactly one interval makes {@code maintain()} apply exactly
 * one pass; afterwards every peer must hold 99.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 40)
@Fork(1)
public class DecayBenchmark {

  static final Duration INTERVAL = Duration.ofMinutes(1);

  public int n = 10_000;
  PeerId[] peers;
  ConnectionManager cm;

  @Setup(Level.Invocation)
  public void setUp() {
    peers = Fixture.peers(n);
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    cm =
        ConnectionManager.builder()
            .lowWater(2 * n)
            .highWater(3 * n)
            .maintenanceInterval(Duration.ZERO)
            .clock(clock)
            .build();
    DecayingTag gossip =
        cm.registerDecayingTag("gossip", INTERVAL, DecayFunctions.fixed(1), BumpFunctions.sum());
    for (int i = 0; i < n; i++) {
      Fixture.connect(cm, peers[i], i, Fixture.NO_OP_CLOSER);
      gossip.bump(peers[i], 100);
    }
    clock.advance(INTERVAL);
    Fixture.settleHeap();
  }

  @Benchmark
  public void w5DecayPass() {
    cm.maintain();
  }

  @TearDown(Level.Invocation)
  public void check() {
    for (int i = 0; i < n; i++) {
      int value = cm.inspect().tagInfo(peers[i]).orElseThrow().value();
      if (value != 99) {
        throw new IllegalStateException("W5: peer " + i + " holds " + value + " after one pass");
      }
    }
    cm.close();
  }
}
