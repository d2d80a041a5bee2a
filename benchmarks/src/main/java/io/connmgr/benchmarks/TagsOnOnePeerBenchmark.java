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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TAGS: tag, upsert and untag of one more tag on a peer that already carries n tags (10, 10 000, 1
 * 000 000). Tags on a peer are O(1) per operation: the time per operation stays flat in n.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TagsOnOnePeerBenchmark {

  static final int EXTRA = 1024;

  @Param({"10", "10000", "1000000"})
  public int n;

  ConnectionManager cm;
  PeerId peer;
  String[] extra;
  int next;

  @Setup(Level.Trial)
  public void setUp() {
    peer = Fixture.peers(1)[0];
    cm =
        ConnectionManager.builder()
            .lowWater(1)
            .highWater(1)
            .maintenanceInterval(Duration.ZERO)
            .build();
    Fixture.connect(cm, peer, 0, Fixture.NO_OP_CLOSER);
    for (int i = 0; i < n; i++) {
      cm.tagPeer(peer, "t" + i, 1);
    }
    extra = new String[EXTRA];
    for (int i = 0; i < EXTRA; i++) {
      extra[i] = "x" + i;
    }
  }

  @Benchmark
  public void tagUpsertUntag() {
    String name = extra[next++ & (EXTRA - 1)];
    cm.tagPeer(peer, name, 5);
    cm.upsertTag(peer, name, v -> v + 1);
    cm.untagPeer(peer, name);
  }

  /** Every operation undid itself: the peer carries its n tags of weight 1 again. */
  @TearDown(Level.Trial)
  public void check() {
    int value = cm.inspect().tagInfo(peer).orElseThrow().value();
    if (value != n) {
      throw new IllegalStateException("TAGS: tag value " + value + ", expected " + n);
    }
    cm.close();
  }
}
