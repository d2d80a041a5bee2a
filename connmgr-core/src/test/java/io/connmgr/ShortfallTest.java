package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every round that closes fewer than its target says why, in its report and its summary, so that
 * closed plus the explained shortfall is the target: stalled on a named callback, candidates closed
 * by the transport meanwhile, closes that failed, planned ones held back since, or candidates
 * exhausted.
 */
class ShortfallTest {

  private static final int LOW = 5;

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ConnectionManager cm =
      ConnectionManager.builder()
          .clock(clock)
          .maintenanceInterval(Duration.ZERO)
          .lowWater(LOW)
          .highWater(LOW)
          .gracePeriod(Duration.ofSeconds(20))
          .callbackBudget(Duration.ofMillis(200))
          .scorerBudget(Duration.ofSeconds(5))
          .build();
  private List<ManagedConnection> p;

  @AfterEach
  void close() {
    release.countDown();
    cm.close();
  }

  /** p0..p9, ranked in that order, past grace. */
  private void openTen() {
    p = closer.openMany(cm, "p", 10);
    for (int i = 0; i < 10; i++) {
      cm.tagPeer(p.get(i).peer(), "rank", i);
    }
    clock.advance(Duration.ofSeconds(21));
  }

  private static void explained(TrimReport report) {
    int shortfall = report.shortfall().values().stream().mapToInt(Integer::intValue).sum();
    assertThat(report.evicted().size() + shortfall).as(report.summary()).isEqualTo(report.target());
  }

  @Test
  void aStalledCallbackIsNamed() {
    openTen();
    cm.registerVeto(
        "slow",
        (c, round) -> {
          if (c.id() == p.get(2).id()) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return Verdict.allow();
        });

    TrimReport report = cm.trim();

    explained(report);
    assertThat(report.shortfall().get(Shortfall.STALLED)).isEqualTo(5);
    assertThat(report.summary())
        .contains("short by 5: 5 stalled")
        .contains("stopped waiting for the veto 'slow'");
  }

  @Test
  void plannedCandidatesClosedByTheTransportMeanwhileAreCounted() {
    openTen();
    closer.beforeClose(
        why -> {
          if (why.connectionId() == p.get(0).id()) {
            p.get(1).closed();
            p.get(2).closed();
          }
        });

    TrimReport report = cm.trim();

    explained(report);
    assertThat(report.evicted()).hasSize(3);
    assertThat(report.shortfall().get(Shortfall.CLOSED_MEANWHILE)).isEqualTo(2);
    assertThat(report.summary()).contains("2 closed meanwhile");
    assertThat(cm.connectionCount()).isEqualTo(LOW);
  }

  @Test
  void aRoundChecksTheLiveCountBeforeEachCloseAndStopsAtLowWater() {
    openTen();
    closer.beforeClose(
        why -> {
          if (why.connectionId() == p.get(0).id()) {
            p.get(8).closed();
            p.get(9).closed();
          }
        });

    TrimReport report = cm.trim();

    explained(report);
    assertThat(report.evicted())
        .extracting(r -> r.peer().value())
        .containsExactly("p-0", "p-1", "p-2");
    assertThat(report.shortfall().get(Shortfall.CLOSED_MEANWHILE)).isEqualTo(2);
    assertThat(cm.connectionCount()).isEqualTo(LOW);
  }

  @Test
  void aRoundOfSeveralBatchesStopsAtLowWaterWithinABatch() {
    ConnectionManager big =
        ConnectionManager.builder()
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .lowWater(20)
            .highWater(20)
            .gracePeriod(Duration.ZERO)
            .build();
    try {
      List<ManagedConnection> q = closer.openMany(big, "q", 100);
      for (int i = 0; i < 100; i++) {
        big.tagPeer(q.get(i).peer(), "rank", i);
      }
      // while the 40th planned closes, the transport closes the ten ranked highest (unplanned)
      closer.beforeClose(
          why -> {
            if (why.connectionId() == q.get(39).id()) {
              for (int i = 90; i < 100; i++) {
                q.get(i).closed();
              }
            }
          });

      TrimReport report = big.trim();

      explained(report);
      assertThat(report.target()).isEqualTo(80);
      assertThat(report.evicted())
          .extracting(r -> r.peer().value())
          .containsExactlyElementsOf(
              java.util.stream.IntStream.range(0, 70).mapToObj(i -> "q-" + i).toList());
      assertThat(report.shortfall().get(Shortfall.CLOSED_MEANWHILE)).isEqualTo(10);
      assertThat(big.connectionCount()).isEqualTo(20);
    } finally {
      big.close();
    }
  }

  @Test
  void closesThatFailedAreCounted() {
    openTen();
    closer.failFor(p.get(1).id());

    TrimReport report = cm.trim();

    explained(report);
    assertThat(report.shortfall().get(Shortfall.CLOSE_FAILED)).isEqualTo(1);
    assertThat(report.summary()).contains("1 close failed");
  }

  @Test
  void plannedCandidatesProtectedBeforeTheirTurnAreCounted() {
    openTen();
    closer.beforeClose(
        why -> {
          if (why.connectionId() == p.get(0).id()) {
            cm.protect(p.get(3).peer(), "late");
          }
        });

    TrimReport report = cm.trim();

    explained(report);
    assertThat(report.shortfall().get(Shortfall.HELD_BACK_SINCE_PLANNED)).isEqualTo(1);
    assertThat(report.summary()).contains("1 held back since planned");
  }

  @Test
  void candidatesExhaustedByWhatHeldThemBack() {
    openTen();
    for (int i = 0; i < 8; i++) {
      cm.protect(p.get(i).peer(), "relay");
    }

    TrimReport report = cm.trim();

    explained(report);
    assertThat(report.evicted()).hasSize(2);
    assertThat(report.shortfall().get(Shortfall.CANDIDATES_EXHAUSTED)).isEqualTo(3);
    assertThat(report.summary()).contains("3 candidates exhausted").contains("8 protected");
  }
}
