package io.connmgr.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.autoconfigure.Connections;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class ConnmgrHealthIndicatorTests {

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final ConnectionManager cm =
      ConnectionManager.builder()
          .lowWater(1)
          .highWater(2)
          .gracePeriod(Duration.ofSeconds(10))
          .maintenanceInterval(Duration.ZERO)
          .clock((InstantSource) now::get)
          .build();
  private final Connections connections = new Connections(cm);
  private final ConnmgrHealthIndicator health = new ConnmgrHealthIndicator(cm);

  @AfterEach
  void close() {
    cm.close();
  }

  @Test
  void upWithCountsAndWatermarks() {
    connections.open("a");
    Health h = health.health();
    assertThat(h.getStatus()).isEqualTo(Status.UP);
    assertThat(h.getDetails())
        .containsEntry("connections", 1)
        .containsEntry("lowWater", 1)
        .containsEntry("highWater", 2)
        .containsEntry("aboveHighWater", false)
        .doesNotContainKey("lastRound")
        .doesNotContainKey("stuckAboveHighWater");
  }

  @Test
  void staysUpAboveHighWaterAndSaysWhatHeldCandidatesBack() {
    for (String p : new String[] {"a", "b", "c", "d"}) {
      connections.open(p);
      cm.pin(PeerId.of(p));
    }
    now.set(now.get().plusSeconds(11));
    cm.trim();
    cm.trim();
    // the rounds are in the manager's statistics by the time trim() returns: nothing to wait for
    Health h = health.health();

    assertThat(h.getStatus()).isEqualTo(Status.UP);
    assertThat(h.getDetails()).containsEntry("aboveHighWater", true);
    @SuppressWarnings("unchecked")
    Map<String, Object> last = (Map<String, Object>) h.getDetails().get("lastRound");
    assertThat(last)
        .containsEntry("reachedTarget", false)
        .containsEntry("heldBack", Map.of("protected", 4));
    @SuppressWarnings("unchecked")
    Map<String, Object> stuck = (Map<String, Object>) h.getDetails().get("stuckAboveHighWater");
    assertThat(stuck).containsEntry("rounds", 2);
    assertThat((String) stuck.get("message"))
        .isEqualTo(
            "connections stayed above high water 2 through the last 2 rounds; "
                + "candidates held back: 4 protected");
  }

  @Test
  void looksBackOverTheLastFiveRoundsOfTheManagersStatistics() {
    for (String p : new String[] {"a", "b", "c", "d"}) {
      connections.open(p);
      cm.pin(PeerId.of(p));
    }
    now.set(now.get().plusSeconds(11));
    for (int i = 0; i < 7; i++) {
      cm.trim();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> stuck =
        (Map<String, Object>) health.health().getDetails().get("stuckAboveHighWater");
    assertThat(cm.stats().recentRounds()).hasSize(7);
    assertThat(stuck).containsEntry("rounds", ConnmgrHealthIndicator.ROUNDS_LOOKED_AT);
  }

  @Test
  void aRoundThatReachedItsTargetEndsTheStreak() {
    for (String p : new String[] {"a", "b", "c"}) {
      connections.open(p);
    }
    now.set(now.get().plusSeconds(11));
    cm.trim();
    assertThat(health.health().getDetails())
        .doesNotContainKey("stuckAboveHighWater")
        .containsEntry("aboveHighWater", false);
  }

  @Test
  void aClosedManagerIsOutOfService() {
    cm.close();
    assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
  }
}
