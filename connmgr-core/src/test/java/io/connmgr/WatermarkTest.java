package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static io.connmgr.Managers.PAST_GRACE;
import static io.connmgr.Managers.SILENCE;
import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What counts toward the watermarks, and when automatic rounds run. */
class WatermarkTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private final List<TrimReport> rounds = new CopyOnWriteArrayList<>();
  private ConnectionManager cm;

  private ConnectionManager manager(int low, int high) {
    cm = Managers.manager(clock, low, high);
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onRound(TrimReport report) {
            rounds.add(report);
          }
        });
    return cm;
  }

  @AfterEach
  void closeManager() {
    if (cm != null) {
      cm.close();
    }
  }

  // --- counting -------------------------------------------------------------------------------

  @Test
  void everyOpenConnectionCountsProtectedAndYoungIncluded() {
    manager(2, 4);
    cm.protect(peer("guarded"), "relay");
    closer.open(cm, "guarded");
    closer.open(cm, "guarded");
    clock.advance(PAST_GRACE);
    closer.open(cm, "young-1");
    closer.open(cm, "young-2");

    assertThat(cm.connectionCount()).isEqualTo(4);
    assertThat(cm.stats().connectionCount()).isEqualTo(4);
    assertThat(cm.stats().inbound()).isEqualTo(4);
    assertThat(cm.peerCount()).isEqualTo(3);
    assertThat(cm.inspect().snapshot().connections()).hasSize(4);
  }

  @Test
  void connectionsOfBothDirectionsCount() {
    manager(2, 4);
    closer.open(cm, peer("a"), Direction.INBOUND);
    closer.open(cm, peer("a"), Direction.OUTBOUND);
    closer.open(cm, peer("b"), Direction.OUTBOUND);

    assertThat(cm.connectionCount()).isEqualTo(3);
    assertThat(cm.stats().inbound()).isEqualTo(1);
    assertThat(cm.stats().outbound()).isEqualTo(2);
  }

  @Test
  void aConnectionClosedByTheTransportStopsCountingAndClosedIsIdempotent() {
    manager(2, 4);
    AtomicInteger closedEvents = new AtomicInteger();
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onConnectionClosed(ConnectionView connection) {
            closedEvents.incrementAndGet();
          }
        });
    ManagedConnection c = closer.open(cm, "a");
    closer.open(cm, "b");

    c.closed();
    c.closed();

    assertThat(c.isOpen()).isFalse();
    assertThat(cm.connectionCount()).isEqualTo(1);
    eventually(() -> assertThat(closedEvents).hasValue(1));
    assertThat(cm.inspect().snapshot().connections())
        .extracting(ConnectionView::peer)
        .containsExactly(peer("b"));
  }

  @Test
  void aConnectionTheManagerClosedStopsCountingAtOnceEvenIfTheTransportNeverConfirms() {
    manager(1, 1);
    AtomicInteger closedEvents = new AtomicInteger();
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onConnectionClosed(ConnectionView connection) {
            closedEvents.incrementAndGet();
          }
        });
    // A lazy transport: its closer returns normally and never calls closed().
    ManagedConnection old = cm.connectionOpened(peer("old"), Direction.INBOUND, "x", why -> {});
    clock.advance(PAST_GRACE);
    ManagedConnection young = closer.open(cm, "young");

    TrimReport report = cm.trim();

    assertThat(report.evicted()).extracting(EvictionRecord::connectionId).containsExactly(old.id());
    assertThat(old.isOpen()).isFalse();
    assertThat(young.isOpen()).isTrue();
    assertThat(cm.connectionCount()).isEqualTo(1);
    eventually(() -> assertThat(closedEvents).hasValue(1));

    old.closed(); // the transport's late confirmation changes nothing

    assertThat(cm.connectionCount()).isEqualTo(1);
    assertThat(closedEvents).hasValue(1);
  }

  @Test
  void aConnectionStillCountsWhileItsCloserRuns() {
    manager(1, 1);
    closer.open(cm, "a");
    closer.open(cm, "b");
    clock.advance(PAST_GRACE);
    AtomicInteger countDuringClose = new AtomicInteger(-1);
    closer.beforeClose(
        why -> {
          countDuringClose.set(cm.connectionCount());
        });

    cm.trim();

    assertThat(countDuringClose).hasValue(2);
    assertThat(cm.connectionCount()).isEqualTo(1);
  }

  @Test
  void aClosedConnectionRefusesNewStreams() {
    manager(2, 4);
    ManagedConnection c = closer.open(cm, "a");
    ManagedStream s = c.openStream("/chat/1", Direction.OUTBOUND);

    c.closed();

    assertThat(s.isOpen()).isFalse();
    assertThatIllegalStateException()
        .isThrownBy(() -> c.openStream("/chat/1", Direction.INBOUND))
        .withMessageContaining("closed");
    s.close(); // ending a stream of a closed connection is harmless
    assertThat(cm.stats().streamCount()).isZero();
  }

  @Test
  void streamsAreCountedWhileOpenAndClosingOneIsIdempotent() {
    manager(2, 4);
    ManagedConnection c = closer.open(cm, "a");
    ManagedStream s1 = c.openStream("/ipfs/kad/1.0.0", Direction.OUTBOUND);
    c.openStream("/ipfs/bitswap/1.2.0", Direction.INBOUND);

    assertThat(c.streamCount()).isEqualTo(2);
    s1.close();
    s1.close();

    assertThat(c.streamCount()).isEqualTo(1);
    assertThat(cm.stats().streamCount()).isEqualTo(1);
    assertThat(c.streams()).extracting(StreamView::protocol).containsExactly("/ipfs/bitswap/1.2.0");
  }

  // --- automatic rounds -----------------------------------------------------------------------

  @Test
  void maintainDoesNotRunARoundAtHighWater() {
    manager(2, 4);
    closer.openMany(cm, "p", 4);
    clock.advance(PAST_GRACE);

    cm.maintain();

    assertThat(rounds).isEmpty();
    assertThat(cm.connectionCount()).isEqualTo(4);
    assertThat(cm.stats().lastTrim()).isEmpty();
  }

  @Test
  void maintainAboveHighWaterTrimsDownToLowWater() {
    manager(2, 4);
    closer.openMany(cm, "p", 5);
    clock.advance(PAST_GRACE);

    cm.maintain();

    eventually(() -> assertThat(rounds).hasSize(1));
    assertThat(rounds)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.trigger()).isEqualTo(Trigger.WATERMARK);
              assertThat(r.target()).isEqualTo(3);
              assertThat(r.connectionsBefore()).isEqualTo(5);
              assertThat(r.evicted()).hasSize(3);
              assertThat(r.reachedTarget()).isTrue();
            });
    assertThat(cm.connectionCount()).isEqualTo(2);
    assertThat(cm.stats().lastTrim()).contains(clock.instant());
    assertThat(cm.stats().lastReport()).contains(rounds.get(0));
  }

  @Test
  void trimRunsBelowHighWaterAndClosesCountMinusLowWater() {
    manager(3, 10);
    closer.openMany(cm, "p", 7);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(report.trigger()).isEqualTo(Trigger.MANUAL);
    assertThat(report.target()).isEqualTo(4);
    assertThat(report.evicted()).hasSize(4);
    assertThat(cm.connectionCount()).isEqualTo(3);
  }

  @Test
  void trimAtOrBelowLowWaterClosesNothing() {
    manager(3, 10);
    closer.openMany(cm, "p", 3);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(report.target()).isZero();
    assertThat(report.evicted()).isEmpty();
    assertThat(report.reachedTarget()).isTrue();
    assertThat(closer.records()).isEmpty();
    assertThat(cm.connectionCount()).isEqualTo(3);
  }

  @Test
  void aBurstAboveHighWaterTriggersOneRoundPerSilencePeriod() {
    cm = Managers.builder(clock).lowWater(10).highWater(20).gracePeriod(Duration.ZERO).build();
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onRound(TrimReport report) {
            rounds.add(report);
          }
        });

    // A sustained burst: 5 new connections every second, upkeep every second, for a minute.
    for (int second = 1; second <= 60; second++) {
      clock.advance(Duration.ofSeconds(1));
      closer.openMany(cm, "s" + second, 5);
      cm.maintain();
    }

    // First above high water at t=5 (25 open); then one round each time the silence period ends.
    eventually(() -> assertThat(rounds).hasSize(6));
    assertThat(rounds)
        .extracting(TrimReport::startedAt)
        .containsExactly(at(5), at(15), at(25), at(35), at(45), at(55));
    assertThat(rounds)
        .allSatisfy(
            r -> {
              assertThat(r.trigger()).isEqualTo(Trigger.WATERMARK);
              assertThat(r.reachedTarget()).isTrue();
            });
    assertThat(rounds.get(1).connectionsBefore()).isEqualTo(60);
    assertThat(cm.connectionCount()).isEqualTo(35); // 10 after t=55, plus 5 s of 5 each
  }

  @Test
  void trimRunsInsideTheSilencePeriodAndStartsANewOne() {
    manager(2, 4);
    closer.openMany(cm, "a", 6);
    clock.advance(PAST_GRACE);
    cm.maintain(); // an automatic round
    closer.openMany(cm, "b", 6); // young: in grace
    clock.advance(Duration.ofSeconds(1));

    TrimReport manual = cm.trim(); // 1 s later: trim() does not wait for the silence period

    eventually(() -> assertThat(rounds).hasSize(2));
    assertThat(manual.trigger()).isEqualTo(Trigger.MANUAL);
    assertThat(manual.connectionsBefore()).isEqualTo(8);
    assertThat(manual.evicted()).hasSize(2);
    assertThat(manual.skipped().get(SkipReason.GRACE)).isEqualTo(6);
    assertThat(cm.connectionCount()).isEqualTo(6); // still above high water

    clock.advance(SILENCE.minusSeconds(1));
    cm.maintain();
    assertThat(rounds).as("a trim() is a round: upkeep keeps silent after it").hasSize(2);

    clock.advance(Duration.ofSeconds(1));
    cm.maintain();
    eventually(() -> assertThat(rounds).hasSize(3));
    assertThat(rounds.get(2).trigger()).isEqualTo(Trigger.WATERMARK);
  }

  private static java.time.Instant at(int seconds) {
    return ManualClock.START.plusSeconds(seconds);
  }

  @Test
  void backgroundUpkeepRunsAutomaticRoundsWithoutAnyCall() throws InterruptedException {
    CountDownLatch round = new CountDownLatch(1);
    cm =
        Managers.builder(clock)
            .lowWater(1)
            .highWater(2)
            .maintenanceInterval(Bounds.MAINTENANCE_INTERVAL_MIN)
            .build();
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onRound(TrimReport report) {
            // a pass may run while the connections are still young and close none
            if (report.trigger() == Trigger.WATERMARK && !report.evicted().isEmpty()) {
              round.countDown();
            }
          }
        });
    closer.openMany(cm, "p", 3);
    clock.advance(PAST_GRACE);

    assertThat(round.await(10, TimeUnit.SECONDS)).as("a background round ran").isTrue();
    assertThat(closer.records())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.trigger()).isEqualTo(Trigger.WATERMARK));
  }

  @Test
  void openingAConnectionAboveHighWaterNeverRunsARoundOnTheOpeningThread() {
    manager(1, 2);
    closer.openMany(cm, "p", 2);
    clock.advance(PAST_GRACE);

    closer.openMany(cm, "q", 5);

    assertThat(rounds).isEmpty();
    assertThat(cm.connectionCount()).isEqualTo(7);
  }
}
