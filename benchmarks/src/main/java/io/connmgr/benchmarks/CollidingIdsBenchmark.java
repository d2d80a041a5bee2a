package io.connmgr.benchmarks;

import io.connmgr.BumpFunctions;
import io.connmgr.ConnectionManager;
import io.connmgr.DecayFunctions;
import io.connmgr.DecayingTag;
import io.connmgr.PeerId;
import io.connmgr.Score;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * Peers that choose ids of one hash code: 10 000 peers connected, each bumped on a decaying tag;
 * the timed part is a round that evicts 9 000 of them (each remembered by the eviction memory and
 * leaving the tag's holders) and all 9 000 coming straight back (each looked up in the memory,
 * bumped again). With {@code ids=colliding} every id hashes alike ("Aa" and "BB" hash alike, and so
 * do strings of as many of either); with {@code ids=distinct}, the fixture's ids. The two should
 * take about as long: a hash table whose keys cannot be ordered searches a bin of n colliding keys
 * in O(n), which made this round quadratic. With {@code scorer=keep-all}, a peer scorer answers
 * {@link Score#KEEP} for every peer (a routing table's), so the timed round evicts none and nobody
 * comes back: what it times is the scorer's memory of whom it last kept, once a {@code WeakHashMap}
 * keyed by peer entries, which never orders a crowded bin (quadratic in colliding peers), now a
 * mark on each subject.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class CollidingIdsBenchmark {

  static final int PEERS = 10_000;

  /** Back after the round: from low water (1 000) to just below high water (5 000). */
  static final int BACK = PEERS / 2 - PEERS / 10 - 1;

  @Param({"distinct", "colliding"})
  public String ids = "distinct";

  /** {@code none}, or {@code keep-all}: a peer scorer keeps every peer, and the round none. */
  @Param({"none", "keep-all"})
  public String scorer = "none";

  @Nullable ConnectionManager cm;
  @Nullable DecayingTag gossip;
  PeerId[] peers = new PeerId[0];

  @Setup(Level.Trial)
  public void ids() {
    peers = ids.equals("colliding") ? colliding(PEERS) : Fixture.peers(PEERS);
  }

  /** {@code n} ids of one hash code, each of 14 blocks of "Aa" or "BB". */
  static PeerId[] colliding(int n) {
    PeerId[] out = new PeerId[n];
    for (int i = 0; i < n; i++) {
      StringBuilder s = new StringBuilder("peer-");
      for (int b = 0; b < 14; b++) {
        s.append((i >> b & 1) == 0 ? "Aa" : "BB");
      }
      out[i] = PeerId.of(s.toString());
    }
    return out;
  }

  @Setup(Level.Invocation)
  public void connectAll() {
    ConnectionManager manager =
        ConnectionManager.builder()
            .lowWater(PEERS / 10)
            .highWater(PEERS / 2)
            .gracePeriod(Duration.ZERO)
            .maintenanceInterval(Duration.ZERO)
            .build();
    DecayingTag tag =
        manager.registerDecayingTag(
            "gossip", Duration.ofMinutes(1), DecayFunctions.fixed(1), BumpFunctions.sum());
    for (int i = 0; i < PEERS; i++) {
      Fixture.connect(manager, peers[i], i, Fixture.NO_OP_CLOSER);
      tag.bump(peers[i], i);
    }
    if (keepsAll()) {
      manager.registerPeerScorer("routing-table", p -> Score.KEEP);
    }
    cm = manager;
    gossip = tag;
    Fixture.settleHeap();
  }

  @Benchmark
  public int evictAndComeBack() {
    ConnectionManager manager = Objects.requireNonNull(cm);
    DecayingTag tag = Objects.requireNonNull(gossip);
    int evicted = manager.trim().evicted().size();
    if (keepsAll()) {
      return evicted; // none evicted: none comes back
    }
    for (int i = 0; i < BACK; i++) {
      Fixture.connect(manager, peers[i], i, Fixture.NO_OP_CLOSER);
      tag.bump(peers[i], 1);
    }
    return evicted;
  }

  private boolean keepsAll() {
    return scorer.equals("keep-all");
  }

  /**
   * Checks the round evicted 9 000, all remembered, and that the 3 999 came back (with {@code
   * keep-all}: that it evicted none); closes.
   */
  @TearDown(Level.Invocation)
  public void check() {
    ConnectionManager manager = Objects.requireNonNull(cm);
    int remembered = manager.inspect().recentlyEvictedPeers();
    int count = manager.connectionCount();
    manager.close();
    cm = null;
    int expectRemembered = keepsAll() ? 0 : PEERS - PEERS / 10;
    int expectCount = keepsAll() ? PEERS : PEERS / 10 + BACK;
    if (remembered != expectRemembered || count != expectCount) {
      throw new IllegalStateException(
          "colliding ids: "
              + remembered
              + " remembered and "
              + count
              + " connected, expected "
              + expectRemembered
              + " and "
              + expectCount);
    }
  }
}
