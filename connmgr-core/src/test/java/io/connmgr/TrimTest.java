package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static io.connmgr.Managers.GRACE;
import static io.connmgr.Managers.PAST_GRACE;
import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which connections a round closes, in which order, and the scenarios go-libp2p pins down. */
class TrimTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private ConnectionManager cm;

  @AfterEach
  void closeManager() {
    if (cm != null) {
      cm.close();
    }
  }

  private List<Long> evictedIds(TrimReport report) {
    return report.evicted().stream().map(EvictionRecord::connectionId).toList();
  }

  // --- order ----------------------------------------------------------------------------------

  @Test
  void lowestTagValueGoesFirst() {
    cm = Managers.manager(clock, 2, 10);
    ManagedConnection a = closer.open(cm, "a");
    ManagedConnection b = closer.open(cm, "b");
    ManagedConnection c = closer.open(cm, "c");
    ManagedConnection d = closer.open(cm, "d");
    cm.tagPeer(peer("a"), "t", 5);
    cm.tagPeer(peer("b"), "t", 1);
    cm.tagPeer(peer("c"), "t", 3);
    cm.tagPeer(peer("d"), "t", -2);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(evictedIds(report)).containsExactly(d.id(), b.id());
    assertThat(a.isOpen()).isTrue();
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void tagValueOutranksEveryTieBreak() {
    cm = Managers.manager(clock, 1, 10);
    // Worth 0 but, on every tie-break, the last to go: a stream, its peer's only connection,
    // outbound, and the oldest.
    ManagedConnection worthless = closer.open(cm, peer("zero"), Direction.OUTBOUND);
    worthless.openStream("/chat/1", Direction.OUTBOUND);
    clock.advance(Duration.ofSeconds(1));
    // Worth 1 but first on every tie-break.
    ManagedConnection valued = closer.open(cm, peer("one"), Direction.INBOUND);
    closer.open(cm, peer("one"), Direction.INBOUND);
    cm.tagPeer(peer("one"), "t", 1);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(report.evicted()).hasSize(2);
    assertThat(report.evicted().get(0).connectionId()).isEqualTo(worthless.id());
    assertThat(report.evicted().get(1).peer()).isEqualTo(valued.peer());
    assertThat(report.evicted().get(1).score()).isEqualTo(1.0);
  }

  @Test
  void onATieAConnectionWithNoOpenStreamGoesFirst() {
    cm = Managers.manager(clock, 1, 10);
    ManagedConnection idle = closer.open(cm, "idle"); // older: age alone would spare it
    clock.advance(Duration.ofSeconds(1));
    ManagedConnection busy = closer.open(cm, "busy");
    busy.openStream("/ipfs/bitswap/1.2.0", Direction.INBOUND);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(evictedIds(report)).containsExactly(idle.id());
    assertThat(busy.isOpen()).isTrue();
  }

  @Test
  void aClosedStreamNoLongerCountsAsOpen() {
    cm = Managers.manager(clock, 1, 10);
    ManagedConnection older = closer.open(cm, "older");
    older.openStream("/chat/1", Direction.INBOUND);
    clock.advance(Duration.ofSeconds(1));
    ManagedConnection younger = closer.open(cm, "younger");
    younger.openStream("/chat/1", Direction.INBOUND).close();
    clock.advance(PAST_GRACE);

    assertThat(evictedIds(cm.trim())).containsExactly(younger.id());
  }

  @Test
  void thenAConnectionOfAPeerWithSeveralConnectionsGoesBeforeAPeersLastConnection() {
    cm = Managers.manager(clock, 2, 10);
    ManagedConnection dup1 = closer.open(cm, "dup");
    ManagedConnection dup2 = closer.open(cm, "dup");
    clock.advance(Duration.ofSeconds(1));
    ManagedConnection single = closer.open(cm, "single"); // youngest: age alone would pick it
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(report.evicted())
        .singleElement()
        .satisfies(r -> assertThat(r.peer()).isEqualTo(peer("dup")));
    assertThat(single.isOpen()).isTrue();
    assertThat(List.of(dup1.isOpen(), dup2.isOpen())).containsExactlyInAnyOrder(true, false);
  }

  @Test
  void noOpenStreamOutranksBeingAPeersLastConnection() {
    cm = Managers.manager(clock, 2, 10);
    closer.open(cm, "dup").openStream("/kad", Direction.OUTBOUND);
    closer.open(cm, "dup").openStream("/kad", Direction.OUTBOUND);
    ManagedConnection single = closer.open(cm, "single");
    clock.advance(PAST_GRACE);

    assertThat(evictedIds(cm.trim())).containsExactly(single.id());
  }

  @Test
  void thenInboundGoesBeforeOutbound() {
    cm = Managers.manager(clock, 1, 10);
    ManagedConnection in = closer.open(cm, peer("in"), Direction.INBOUND); // older
    clock.advance(Duration.ofSeconds(1));
    ManagedConnection out = closer.open(cm, peer("out"), Direction.OUTBOUND);
    clock.advance(PAST_GRACE);

    assertThat(evictedIds(cm.trim())).containsExactly(in.id());
    assertThat(out.isOpen()).isTrue();
  }

  @Test
  void beingAPeersLastConnectionOutranksDirection() {
    cm = Managers.manager(clock, 2, 10);
    closer.open(cm, peer("dup"), Direction.OUTBOUND);
    closer.open(cm, peer("dup"), Direction.OUTBOUND);
    ManagedConnection single = closer.open(cm, peer("single"), Direction.INBOUND);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(report.evicted())
        .singleElement()
        .satisfies(r -> assertThat(r.peer()).isEqualTo(peer("dup")));
    assertThat(single.isOpen()).isTrue();
  }

  @Test
  void thenTheYoungestGoesFirst() {
    cm = Managers.manager(clock, 1, 10);
    ManagedConnection oldest = closer.open(cm, "p0");
    clock.advance(Duration.ofSeconds(1));
    ManagedConnection middle = closer.open(cm, "p1");
    clock.advance(Duration.ofSeconds(1));
    ManagedConnection youngest = closer.open(cm, "p2");
    clock.advance(PAST_GRACE);

    assertThat(evictedIds(cm.trim())).containsExactly(youngest.id(), middle.id());
    assertThat(oldest.isOpen()).isTrue();
  }

  @Test
  void roundsEvictConnectionsNotWholePeers() {
    cm = Managers.manager(clock, 2, 10);
    closer.open(cm, "busy");
    closer.open(cm, "busy");
    closer.open(cm, "busy");
    ManagedConnection valued = closer.open(cm, "valued");
    cm.tagPeer(peer("valued"), "t", 10);
    cm.tagPeer(peer("busy"), "t", 1);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(report.evicted())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.peer()).isEqualTo(peer("busy")));
    assertThat(valued.isOpen()).isTrue();
    assertThat(cm.inspect().tagInfo(peer("busy")))
        .get()
        .satisfies(
            info -> {
              assertThat(info.connections()).hasSize(1);
              assertThat(info.tags()).containsEntry("t", 1);
            });
  }

  @ParameterizedTest(name = "{0} candidates, keep {1}")
  @CsvSource({"3000, 1000", "3000, 2993", "500, 1", "64, 10", "65, 64"})
  void closesExactlyTheLowestValuedConnectionsInAscendingOrder(int n, int keep) {
    cm = Managers.manager(clock, keep, n);
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(i * 3 - n); // distinct, some negative
    }
    Collections.shuffle(values, new Random(42));
    for (int i = 0; i < n; i++) {
      closer.open(cm, "p" + i);
      cm.tagPeer(peer("p" + i), "v", values.get(i));
    }
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    List<Double> scores = report.evicted().stream().map(EvictionRecord::score).toList();
    List<Double> expected =
        values.stream().sorted().limit(n - keep).map(Integer::doubleValue).toList();
    assertThat(scores).containsExactlyElementsOf(expected);
    assertThat(cm.connectionCount()).isEqualTo(keep);
  }

  @Test
  void candidatesHeldBackOnTheWayAreReplacedByTheNextLowestBeyondTheFirstBatch() {
    // 500 candidates worth 0..499; the 100 cheapest are vetoed, more than the first sorted batch.
    cm = Managers.manager(clock, 490, 500);
    for (int i = 0; i < 500; i++) {
      closer.open(cm, "p" + i);
      cm.tagPeer(peer("p" + i), "v", i);
    }
    cm.registerVeto(
        "keep-cheapest",
        (candidate, round) ->
            Integer.parseInt(candidate.peer().value().substring(1)) < 100
                ? Verdict.veto("test")
                : Verdict.allow());
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(report.evicted())
        .extracting(EvictionRecord::score)
        .containsExactly(100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0, 108.0, 109.0);
    assertThat(report.skipped().get(SkipReason.VETOED)).isEqualTo(100);
  }

  // --- go-libp2p's scenarios ------------------------------------------------------------------

  @Test
  void trimming300ConnectionsWithWatermarks200And300KeepsThe100TaggedPeers() {
    cm = Managers.manager(clock, 200, 300);
    List<ManagedConnection> conns = closer.openMany(cm, "p", 300);
    for (int i = 0; i < 100; i++) {
      cm.tagPeer(conns.get(i).peer(), "foo", 10);
    }
    cm.tagPeer(conns.get(299).peer(), "badfoo", -5);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(report.evicted()).hasSize(100);
    assertThat(conns.subList(0, 100)).allSatisfy(c -> assertThat(c.isOpen()).isTrue());
    assertThat(conns.get(299).isOpen()).isFalse();
    assertThat(report.evicted().get(0).connectionId()).isEqualTo(conns.get(299).id());
    assertThat(report.evicted()).allSatisfy(r -> assertThat(r.score()).isLessThanOrEqualTo(0));
    assertThat(cm.connectionCount()).isEqualTo(200);
  }

  @Test
  void theGracePeriodHolds31YoungConnectionsAboveHighWaterThenATrimBringsThemToLowWater() {
    cm = Managers.manager(clock, 10, 20);
    List<ManagedConnection> conns = closer.openMany(cm, "p", 31);

    TrimReport young = cm.trim();
    cm.maintain();

    assertThat(young.evicted()).isEmpty();
    assertThat(young.target()).isEqualTo(21);
    assertThat(young.skipped().get(SkipReason.GRACE)).isEqualTo(31);
    assertThat(young.reachedTarget()).isFalse();
    assertThat(conns).allSatisfy(c -> assertThat(c.isOpen()).isTrue());
    assertThat(cm.connectionCount()).isEqualTo(31);

    clock.advance(PAST_GRACE);
    TrimReport grown = cm.trim();

    assertThat(grown.evicted()).hasSize(21);
    assertThat(grown.skipped().get(SkipReason.GRACE)).isZero();
    assertThat(cm.connectionCount()).isEqualTo(10);
  }

  @Test
  void theGracePeriodEndsExactlyGracePeriodAfterOpening() {
    cm = Managers.manager(clock, 1, 10);
    cm.protect(peer("old"), "keep");
    closer.open(cm, "old");
    clock.advance(Duration.ofSeconds(30));
    ManagedConnection c = closer.open(cm, "subject");

    clock.advance(GRACE.minusNanos(1));
    assertThat(cm.trim().skipped().get(SkipReason.GRACE)).isEqualTo(1);
    assertThat(c.isOpen()).isTrue();

    clock.advance(Duration.ofNanos(1));
    assertThat(evictedIds(cm.trim())).containsExactly(c.id());
  }

  @Test
  void youngConnectionsCountButAreNeverCandidates() {
    cm = Managers.manager(clock, 2, 4);
    List<ManagedConnection> old = closer.openMany(cm, "old", 3);
    clock.advance(PAST_GRACE);
    List<ManagedConnection> young = closer.openMany(cm, "young", 3);

    cm.maintain(); // 6 open, above high water 4: closes 4 if it can, and it can only close the old

    assertThat(old).allSatisfy(c -> assertThat(c.isOpen()).isFalse());
    assertThat(young).allSatisfy(c -> assertThat(c.isOpen()).isTrue());
    assertThat(cm.connectionCount()).isEqualTo(3);
    assertThat(cm.stats().lastReport())
        .get()
        .satisfies(
            r -> {
              assertThat(r.target()).isEqualTo(4);
              assertThat(r.evicted()).hasSize(3);
              assertThat(r.skipped().get(SkipReason.GRACE)).isEqualTo(3);
            });
  }

  // --- concurrent callers ---------------------------------------------------------------------

  @Test
  void concurrentTrimCallersJoinTheRoundInFlightAndGetItsReport() throws Exception {
    cm = Managers.manager(clock, 2, 10);
    List<TrimReport> rounds = new CopyOnWriteArrayList<>();
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onRound(TrimReport report) {
            rounds.add(report);
          }
        });
    closer.openMany(cm, "p", 6);
    clock.advance(PAST_GRACE);
    FirstCloseGate gate = new FirstCloseGate(closer);

    FutureTask<TrimReport> firstCall = new FutureTask<>(cm::trim);
    Thread firstThread = new Thread(firstCall, "trim-1");
    firstThread.start();
    assertThat(gate.entered.await(10, TimeUnit.SECONDS))
        .as("first round reached its closer")
        .isTrue();
    FutureTask<TrimReport> secondCall = new FutureTask<>(cm::trim);
    Thread secondThread = new Thread(secondCall, "trim-2");
    secondThread.start();
    awaitParked(secondThread);
    gate.release.countDown();

    TrimReport a = firstCall.get(10, TimeUnit.SECONDS);
    TrimReport b = secondCall.get(10, TimeUnit.SECONDS);

    assertThat(b).isSameAs(a);
    assertThat(a.evicted()).hasSize(4);
    eventually(() -> assertThat(rounds).containsExactly(a));
    assertThat(closer.records()).hasSize(4);
    assertThat(cm.connectionCount()).isEqualTo(2);
  }

  @Test
  void aTrimDuringAnAutomaticRoundJoinsItAndUpkeepNeverWaitsForARound() throws Exception {
    // No silence period: only the round in flight can keep the second pass from running one.
    cm = Managers.builder(clock).lowWater(2).highWater(4).silencePeriod(Duration.ZERO).build();
    closer.openMany(cm, "p", 6);
    clock.advance(PAST_GRACE);
    FirstCloseGate gate = new FirstCloseGate(closer);
    FutureTask<Void> upkeep = new FutureTask<>(cm::maintain, null);
    new Thread(upkeep, "upkeep").start();
    assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();

    // Another upkeep pass while the automatic round is stuck in a closer returns at once.
    FutureTask<Void> secondUpkeep = new FutureTask<>(cm::maintain, null);
    new Thread(secondUpkeep, "upkeep-2").start();
    secondUpkeep.get(10, TimeUnit.SECONDS);
    // A trim() joins the automatic round.
    FutureTask<TrimReport> trim = new FutureTask<>(cm::trim);
    Thread trimThread = new Thread(trim, "trim");
    trimThread.start();
    awaitParked(trimThread);
    gate.release.countDown();
    upkeep.get(10, TimeUnit.SECONDS);

    TrimReport joined = trim.get(10, TimeUnit.SECONDS);
    assertThat(joined.trigger()).isEqualTo(Trigger.WATERMARK);
    assertThat(joined.evicted()).hasSize(4);
    assertThat(cm.stats().lastReport()).contains(joined);
    assertThat(closer.records()).hasSize(4);
  }

  /** Waits (bounded) until {@code t} parks; a joining trim() parks on the round in flight. */
  private static void awaitParked(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(t.getState() == Thread.State.WAITING && LockSupport.getBlocker(t) != null)) {
      assertThat(t.isAlive()).as("%s is still running", t.getName()).isTrue();
      assertThat(System.nanoTime() - deadline).as("%s parked in time", t.getName()).isNegative();
      Thread.yield();
    }
  }

  /** Holds the first close of a round until the test releases it; later closes pass. */
  private static final class FirstCloseGate {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    FirstCloseGate(RecordingCloser closer) {
      AtomicBoolean first = new AtomicBoolean(true);
      closer.beforeClose(
          why -> {
            if (first.compareAndSet(true, false)) {
              entered.countDown();
              if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the closer");
              }
            }
          });
    }
  }
}
