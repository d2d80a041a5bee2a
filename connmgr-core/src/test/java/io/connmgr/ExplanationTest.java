package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static io.connmgr.Managers.PAST_GRACE;
import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every eviction says why: records, reports, history, operator evictions. */
class ExplanationTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private ConnectionManager cm = Managers.manager(clock, 1, 3);

  @AfterEach
  void closeManager() {
    cm.close();
  }

  @Test
  void aTrimRecordSaysWhenWhichWhoWhyAndTheScoreByTag() {
    ManagedConnection victim = closer.open(cm, peer("victim"), Direction.OUTBOUND);
    cm.tagPeer(peer("victim"), "kad", 3);
    cm.tagPeer(peer("victim"), "bitswap", -1);
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "kad", 50);
    Instant roundAt = clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    EvictionRecord r = report.evicted().get(0);
    assertThat(report.evicted()).hasSize(1);
    assertThat(r.at()).isEqualTo(roundAt);
    assertThat(r.connectionId()).isEqualTo(victim.id());
    assertThat(r.peer()).isEqualTo(peer("victim"));
    assertThat(r.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(r.trigger()).isEqualTo(Trigger.MANUAL);
    assertThat(r.score()).isEqualTo(2.0);
    assertThat(r.breakdown()).isEqualTo(Map.of("tag:kad", 3.0, "tag:bitswap", -1.0));
    assertThat(r.reason()).contains("trim()").contains("low water 1").contains("score 2");
    assertThat(closer.records()).containsExactly(r); // the closer got the same explanation
    assertThat(cm.inspect().evictionHistory()).containsExactly(r);
  }

  @Test
  void aReasonReadLaterAndFromManyThreadsAtOnceTellsTheRoundAsItStarted() throws Exception {
    closer.open(cm, "a");
    closer.open(cm, "b");
    closer.open(cm, "c");
    clock.advance(PAST_GRACE);
    EvictionRecord first = cm.trim().evicted().get(0);
    for (int i = 0; i < 5; i++) {
      closer.open(cm, "later-" + i); // the count the sentence names is the round's, taken then
    }

    // the sentence is put together on the first read: racing first reads agree on it
    int threads = 8;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<String>> reads = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        reads.add(
            pool.submit(
                () -> {
                  start.await();
                  return first.reason();
                }));
      }
      for (java.util.concurrent.Future<String> read : reads) {
        assertThat(read.get())
            .startsWith("trim() requested; trimming 3 connections to low water 1; score ")
            .isEqualTo(first.reason());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRecordsBreakdownAddsUpToItsScoreEvenIfTagsChangeDuringTheRound() {
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "t", 100);
    ManagedConnection second = closer.open(cm, "second");
    cm.tagPeer(peer("second"), "t", 1);
    closer.open(cm, "first");
    clock.advance(PAST_GRACE);
    closer.beforeClose(
        why -> {
          if (why.peer().equals(peer("first"))) {
            cm.tagPeer(peer("second"), "t", 50);
          }
        });

    TrimReport report = cm.trim();

    assertThat(report.evicted()).extracting(EvictionRecord::connectionId).contains(second.id());
    assertThat(report.evicted())
        .allSatisfy(
            r ->
                assertThat(r.score())
                    .isEqualTo(
                        r.breakdown().values().stream().mapToDouble(Double::doubleValue).sum()));
  }

  @Test
  void anUntaggedConnectionHasAnEmptyBreakdownAndScoreZero() {
    closer.open(cm, "a");
    closer.open(cm, "b");
    cm.tagPeer(peer("b"), "t", 1);
    clock.advance(PAST_GRACE);

    EvictionRecord r = cm.trim().evicted().get(0);

    assertThat(r.peer()).isEqualTo(peer("a"));
    assertThat(r.score()).isZero();
    assertThat(r.breakdown()).isEmpty();
  }

  @Test
  void automaticRoundsAreMarkedWatermarkAndSayHighWater() {
    closer.openMany(cm, "p", 4);
    clock.advance(PAST_GRACE);

    cm.maintain();

    assertThat(cm.inspect().evictionHistory())
        .hasSize(3)
        .allSatisfy(
            r -> {
              assertThat(r.trigger()).isEqualTo(Trigger.WATERMARK);
              assertThat(r.reason()).contains("high water 3");
            });
    assertThat(cm.stats().lastReport())
        .get()
        .satisfies(report -> assertThat(report.trigger()).isEqualTo(Trigger.WATERMARK));
  }

  @Test
  void anOperatorEvictionIsMarkedOperatorAndCarriesTheOperatorsReason() {
    ManagedConnection c = closer.open(cm, "p");
    cm.tagPeer(peer("p"), "kad", 7);
    Instant when = clock.advance(Duration.ofSeconds(3)); // in grace: operators do not care

    assertThat(cm.evict(c.id(), "abusive peer")).isTrue();

    assertThat(c.isOpen()).isFalse();
    assertThat(cm.inspect().evictionHistory())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.trigger()).isEqualTo(Trigger.OPERATOR);
              assertThat(r.reason()).isEqualTo("abusive peer");
              assertThat(r.at()).isEqualTo(when);
              assertThat(r.connectionId()).isEqualTo(c.id());
              assertThat(r.score()).isEqualTo(7.0);
              assertThat(r.breakdown()).containsExactly(Map.entry("tag:kad", 7.0));
            });
  }

  @Test
  void anOperatorMayEvictAProtectedPeersConnection() {
    cm.protect(peer("p"), "relay");
    ManagedConnection c = closer.open(cm, "p");

    assertThat(cm.evict(c.id(), "operator")).isTrue();
    assertThat(c.isOpen()).isFalse();
    assertThat(cm.isProtected(peer("p"), "relay")).isTrue();
  }

  @Test
  void evictReturnsFalseForUnknownAndClosedConnections() {
    ManagedConnection closedByTransport = closer.open(cm, "a");
    ManagedConnection evicted = closer.open(cm, "b");
    closedByTransport.closed();
    cm.evict(evicted.id(), "first");

    assertThat(cm.evict(closedByTransport.id(), "again")).isFalse();
    assertThat(cm.evict(evicted.id(), "again")).isFalse();
    assertThat(cm.evict(123_456L, "unknown")).isFalse();
    assertThat(cm.evict(-1L, "unknown")).isFalse();
    assertThat(cm.inspect().evictionHistory()).hasSize(1);
    assertThat(closer.records()).hasSize(1);
  }

  @Test
  void theReportCountsWhatHeldCandidatesBack() {
    cm.protect(peer("guarded"), "relay");
    closer.open(cm, "guarded");
    closer.open(cm, "guarded");
    closer.openMany(cm, "old", 2);
    clock.advance(PAST_GRACE);
    closer.openMany(cm, "young", 3);
    Instant startedAt = clock.instant();

    TrimReport report = cm.trim();

    assertThat(report.trigger()).isEqualTo(Trigger.MANUAL);
    assertThat(report.startedAt()).isEqualTo(startedAt);
    assertThat(report.connectionsBefore()).isEqualTo(7);
    assertThat(report.target()).isEqualTo(6);
    assertThat(report.evicted()).hasSize(2);
    assertThat(report.reachedTarget()).isFalse();
    assertThat(report.skipped().get(SkipReason.PROTECTED)).isEqualTo(2);
    assertThat(report.skipped().get(SkipReason.GRACE)).isEqualTo(3);
    assertThat(report.skipped())
        .containsOnlyKeys(SkipReason.values())
        .containsEntry(SkipReason.CLOSE_FAILED, 0);
    assertThat(report.took().isNegative()).isFalse();
    assertThat(report.summary())
        .contains("closed 2 of 6")
        .contains("2 protected")
        .contains("3 grace");
  }

  @Test
  void historyIsNewestFirstAcrossRounds() {
    ManagedConnection first = closer.open(cm, "first");
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "t", 1);
    clock.advance(PAST_GRACE);
    cm.trim();
    ManagedConnection second = closer.open(cm, "second");
    clock.advance(PAST_GRACE);
    cm.trim();
    ManagedConnection third = closer.open(cm, "third");
    cm.evict(third.id(), "operator");

    assertThat(cm.inspect().evictionHistory())
        .extracting(EvictionRecord::connectionId)
        .containsExactly(third.id(), second.id(), first.id());
    assertThat(cm.inspect().evictionHistory())
        .extracting(EvictionRecord::trigger)
        .containsExactly(Trigger.OPERATOR, Trigger.MANUAL, Trigger.MANUAL);
  }

  @Test
  void historyIsBoundedByHistorySizeKeepingTheNewest() {
    cm.close();
    cm = Managers.builder(clock).lowWater(1).highWater(3).historySize(3).build();
    List<ManagedConnection> conns = closer.openMany(cm, "p", 5);

    for (ManagedConnection c : conns) {
      clock.advance(Duration.ofSeconds(1));
      cm.evict(c.id(), "operator");
    }

    assertThat(cm.inspect().evictionHistory())
        .extracting(EvictionRecord::connectionId)
        .containsExactly(conns.get(4).id(), conns.get(3).id(), conns.get(2).id());
  }

  @Test
  void aHistorySizeOfZeroKeepsNoRecordsButStillEvicts() {
    cm.close();
    cm = Managers.builder(clock).lowWater(1).highWater(3).historySize(0).build();
    closer.openMany(cm, "p", 3);
    clock.advance(PAST_GRACE);

    assertThat(cm.trim().evicted()).hasSize(2);
    assertThat(cm.inspect().evictionHistory()).isEmpty();
  }

  @Test
  void theHistoryIsACopy() {
    ManagedConnection c = closer.open(cm, "p");
    cm.evict(c.id(), "operator");
    List<EvictionRecord> history = cm.inspect().evictionHistory();

    ManagedConnection d = closer.open(cm, "q");
    cm.evict(d.id(), "operator");

    assertThat(history).hasSize(1);
    assertThat(cm.inspect().evictionHistory()).hasSize(2);
  }

  @Test
  void listenersHearEachEvictionWithItsRecord() {
    List<EvictionRecord> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onEviction(EvictionRecord record) {
            heard.add(record);
          }
        });
    closer.openMany(cm, "p", 3);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    eventually(() -> assertThat(heard).containsExactlyElementsOf(report.evicted()));
  }
}
