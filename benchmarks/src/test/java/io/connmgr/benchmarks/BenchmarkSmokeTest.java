package io.connmgr.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.PeerId;
import io.connmgr.TrimReport;
import io.connmgr.internal.SelectionBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs each benchmark body once with small N, with its checks, so the benchmarks cannot rot. No
 * timing is asserted here: the figures live in bench/results.md.
 */
class BenchmarkSmokeTest {

  @Test
  void fixtureDerivesPeerIdsAsMultihashHexOfSha256() {
    PeerId[] peers = Fixture.peers(3);
    assertThat(peers).hasSize(3).doesNotHaveDuplicates();
    assertThat(peers[0].value()).hasSize(68).startsWith("1220").matches("[0-9a-f]+");
    assertThat(Fixture.derivePeers(3)).containsExactly(peers);
  }

  @Test
  void protectedSetIsATenthOfThePeers() {
    boolean[] chosen = Fixture.protectedPeers(1000);
    int count = 0;
    for (boolean b : chosen) {
      count += b ? 1 : 0;
    }
    assertThat(count).isEqualTo(100);
  }

  @Test
  void w1TrimClosesHalfAndPassesItsCheck() {
    TrimBenchmark b = new TrimBenchmark();
    b.n = 1000;
    b.setUp();
    TrimReport report = b.w1Trim();
    b.check();
    assertThat(report.evicted()).hasSize(500);
  }

  @Test
  void aRoundsCpuTimeIsTakenAroundTheTimedCallOnly() {
    TrimWorkload w = new TrimWorkload(1000, false);
    w.trim();
    w.stopCpuClock();
    assertThat(w.cpuNanos()).as("no clock started: no figure").isEqualTo(-1);
    w.close();

    TrimWorkload timed = new TrimWorkload(1000, false);
    timed.startCpuClock();
    timed.trim();
    timed.stopCpuClock();
    timed.check();
    assertThat(timed.cpuNanos()).isPositive();
    timed.close();
  }

  @Test
  void w6TrimWithScorersPassesItsCheck() {
    ScoredTrimBenchmark b = new ScoredTrimBenchmark();
    b.n = 1000;
    b.setUp();
    TrimReport report = b.w6TrimWithScorers();
    b.check();
    assertThat(report.evicted()).hasSize(500);
  }

  @Test
  void withTheStartersMetricsEveryRoundIsRecordedAndPassesItsCheck() {
    for (String metrics : new String[] {"counters", "full"}) {
      for (boolean scorers : new boolean[] {false, true}) {
        TrimWorkload w = new TrimWorkload(1000, scorers, TrimWorkload.Meters.of(metrics));
        TrimReport report = w.trim();
        // includes: the evictions counted and, in full, the distributions recorded exactly the
        // round's closed and kept
        w.check();
        assertThat(report.evicted()).hasSize(500);
        assertThat(w.recorderCpuNanos())
            .as(metrics)
            .matches(ns -> metrics.equals("full") ? ns > 0 : ns == 0);
        w.close();
      }
    }
  }

  @Test
  void w2TagChurnKeepsEveryPeer() {
    TagChurnBenchmark b = new TagChurnBenchmark();
    TagChurnBenchmark.Peers peers = new TagChurnBenchmark.Peers();
    peers.n = 100;
    peers.setUp();
    TagChurnBenchmark.Draws draws = new TagChurnBenchmark.Draws();
    draws.seed(0);
    for (int i = 0; i < 1000; i++) {
      b.w2TagChurn(peers, draws);
    }
    peers.tearDown();
  }

  @Test
  void w3ConnectDisconnectLeavesTheBasePeers() {
    ConnectChurnBenchmark b = new ConnectChurnBenchmark();
    ConnectChurnBenchmark.Base base = new ConnectChurnBenchmark.Base();
    base.setUp();
    for (int g = 0; g < ConnectChurnBenchmark.MAX_THREADS; g++) {
      ConnectChurnBenchmark.Pool pool = new ConnectChurnBenchmark.Pool();
      pool.init(base, g);
      for (int i = 0; i < 1000; i++) {
        b.w3ConnectDisconnect(base, pool);
      }
    }
    base.tearDown();
  }

  @Test
  void tagsOnOnePeerUndoThemselves() {
    TagsOnOnePeerBenchmark b = new TagsOnOnePeerBenchmark();
    b.n = 20;
    b.setUp();
    for (int i = 0; i < 3 * TagsOnOnePeerBenchmark.EXTRA; i++) {
      b.tagUpsertUntag();
    }
    b.check();
  }

  @Test
  void w5OnePassDecaysEveryPeerByOne() {
    DecayBenchmark b = new DecayBenchmark();
    b.n = 500;
    b.setUp();
    b.w5DecayPass();
    b.check();
  }

  @ParameterizedTest
  @CsvSource({"distinct,none", "colliding,none", "distinct,keep-all", "colliding,keep-all"})
  void collidingIdsEvictAndComeBackAsDistinctOnesDo(String ids, String scorer) {
    CollidingIdsBenchmark b = new CollidingIdsBenchmark();
    b.ids = ids;
    b.scorer = scorer;
    b.ids();
    b.connectAll();
    assertThat(b.evictAndComeBack()).isEqualTo(scorer.equals("keep-all") ? 0 : 9_000);
    b.check();
  }

  @Test
  void w7LeasesAreAllReleased() {
    LeaseBenchmark b = new LeaseBenchmark();
    LeaseBenchmark.Connections connections = new LeaseBenchmark.Connections();
    connections.n = 100;
    connections.setUp();
    LeaseBenchmark.Turn turn = new LeaseBenchmark.Turn();
    turn.init(connections, 1, 2);
    for (int i = 0; i < 500; i++) {
      b.w7LeaseRelease(connections, turn);
    }
    connections.tearDown();
  }

  @Test
  void selectionTakesTheSameCandidatesAsAFullSort() {
    SelectionBenchmark b = new SelectionBenchmark();
    b.n = 5000;
    b.k = 50;
    b.setUp();
    assertThat(b.selectK()).isEqualTo(b.sortAllThenTakeK());
    b.k = 2500;
    assertThat(b.selectK()).isEqualTo(b.sortAllThenTakeK());
  }

  @Test
  void w4MeasuresAPositiveRetainedSize() throws InterruptedException {
    assertThat(RetainedHeap.measure(2000)).isPositive();
  }

  @Test
  void roundTimesTimesEveryCheckedRound() {
    long[][] times = RoundTimes.run(200, 3, null);
    assertThat(times[0]).hasSize(3);
    assertThat(times[1]).hasSize(3);
    assertThat(java.util.Arrays.stream(times[0]).min().orElseThrow()).isPositive();
    assertThat(java.util.Arrays.stream(times[1]).min().orElseThrow()).isPositive();
  }

  @Test
  void roundTimesMarksEachRoundWhenAsked() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    RoundTimes.run(
        200, 2, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8).lines())
        .hasSize(4)
        .satisfiesExactly(
            l -> assertThat(l).isEqualTo("=== round 1 start"),
            l ->
                assertThat(l).matches("=== round 1 end wall_ms=\\d+\\.\\d{3} cpu_ms=\\d+\\.\\d{3}"),
            l -> assertThat(l).isEqualTo("=== round 2 start"),
            l ->
                assertThat(l)
                    .matches("=== round 2 end wall_ms=\\d+\\.\\d{3} cpu_ms=\\d+\\.\\d{3}"));
  }

  @Test
  void nettyAdapterCountsAndUncountsEachChannel() {
    NettyAdapterBenchmark b = new NettyAdapterBenchmark();
    b.setUp();
    assertThat(b.withAdapter()).isFalse();
    assertThat(b.withoutAdapter()).isFalse();
    assertThat(b.manager.connectionCount()).isZero();
    assertThat(b.next).isEqualTo(1);
    b.tearDown();
  }
}
