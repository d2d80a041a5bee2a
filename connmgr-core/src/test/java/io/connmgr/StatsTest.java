package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.connmgr.inspect.ManagerStats;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ConnectionManager#stats()}: the counters and the last rounds, as one immutable value. */
class StatsTest {

  @Test
  void aNewManagerCountsNothingButNamesEveryTriggerAndLimit() {
    try (Harness h = new Harness(1, 2)) {
      ManagerStats stats = h.cm.stats();

      assertThat(stats.rounds())
          .containsOnlyKeys(Trigger.values())
          .allSatisfy((trigger, n) -> assertThat(n).isZero());
      assertThat(stats.refusals()).containsOnlyKeys(AdmissionLimit.values());
      assertThat(stats.refusals()).allSatisfy((limit, n) -> assertThat(n).isZero());
      assertThat(stats.evictions()).isZero();
      assertThat(stats.recentRounds()).isEmpty();
    }
  }

  @Test
  void countsRoundsEvictionsVetoesAndRefusalsAsTheyHappen() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(1)
                .highWater(10)
                .maxConnectionsPerPeer(1)
                .scorerBudget(Duration.ofSeconds(5)))) {
      h.open("a");
      h.open("b");
      h.open("vetoed");
      catchThrowableOfType(ConnectionRefusedException.class, () -> h.open("a"));
      h.cm.registerVeto(
          "keep-vetoed",
          (c, round) ->
              c.peer().value().equals("vetoed") ? Verdict.veto("stays") : Verdict.allow());
      h.cm.tagPeer(PeerId.of("a"), "useful", 10);
      h.cm.tagPeer(PeerId.of("b"), "useful", 10); // so "vetoed" is the first candidate asked
      h.pastGrace();

      TrimReport manual = h.cm.trim();
      TrimReport emergency = h.cm.emergencyTrim().orElseThrow();
      ManagerStats stats = h.cm.stats();

      assertThat(stats.rounds())
          .containsEntry(Trigger.MANUAL, 1L)
          .containsEntry(Trigger.EMERGENCY, 1L)
          .containsEntry(Trigger.WATERMARK, 0L);
      assertThat(h.closedPeers()).containsExactlyInAnyOrder("a", "b");
      assertThat(stats.evictions()).isEqualTo(2);
      assertThat(stats.vetoes()).isEqualTo(1);
      assertThat(stats.refusals())
          .containsEntry(AdmissionLimit.MAX_PER_PEER, 1L)
          .containsEntry(AdmissionLimit.MAX_CONNECTIONS, 0L);
      assertThat(stats.recentRounds()).containsExactly(emergency, manual);
    }
  }

  @Test
  void keepsTheLastRoundsUpToTheBuildersRoundHistorySize() {
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(1).highWater(2).roundHistorySize(3))) {
      TrimReport first = h.cm.trim();
      TrimReport[] later = new TrimReport[3];
      for (int i = 0; i < 3; i++) {
        h.clock.advance(Duration.ofSeconds(1));
        later[i] = h.cm.trim();
      }

      assertThat(h.cm.stats().recentRounds())
          .containsExactly(later[2], later[1], later[0])
          .doesNotContain(first);
      assertThat(h.cm.stats().rounds()).containsEntry(Trigger.MANUAL, 4L);
    }
  }

  @Test
  void aRoundHistoryOfZeroKeepsNoReportsButStillCounts() {
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(1).highWater(2).roundHistorySize(0))) {
      h.cm.trim();

      assertThat(h.cm.stats().recentRounds()).isEmpty();
      assertThat(h.cm.stats().rounds()).containsEntry(Trigger.MANUAL, 1L);
    }
  }

  @Test
  void theRoundHistorySizeIsChecked() {
    assertThat(ConnectionManager.builder().roundHistorySize(-1).validate())
        .extracting(InvalidSettingsException.Violation::setting)
        .containsExactly(Setting.ROUND_HISTORY_SIZE);
    assertThatThrownBy(
            () ->
                ConnectionManager.builder()
                    .roundHistorySize(Bounds.ROUND_HISTORY_SIZE_MAX + 1)
                    .build())
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("roundHistorySize");
    assertThat(
            ConnectionManager.builder().roundHistorySize(Bounds.ROUND_HISTORY_SIZE_MAX).validate())
        .isEmpty();
    assertThat(Setting.ROUND_HISTORY_SIZE.defaultInt()).isEqualTo(32);
  }

  @Test
  void aTakenStatisticsValueNeitherChangesNorCanBeChanged() {
    try (Harness h = new Harness(1, 2)) {
      ManagerStats before = h.cm.stats();
      h.cm.trim();

      assertThat(before.rounds()).containsEntry(Trigger.MANUAL, 0L);
      assertThat(before.recentRounds()).isEmpty();
      assertThatThrownBy(() -> before.rounds().put(Trigger.MANUAL, 9L))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> h.cm.stats().recentRounds().clear())
          .isInstanceOf(UnsupportedOperationException.class);
      Map<AdmissionLimit, Long> refusals = h.cm.stats().refusals();
      assertThatThrownBy(refusals::clear).isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
