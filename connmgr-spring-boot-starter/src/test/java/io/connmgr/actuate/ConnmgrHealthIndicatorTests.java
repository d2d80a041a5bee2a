package io.connmgr.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
  private final ConnectionManager cm = ConnectionManager.builder().lowWater(1).highWater(2)
      .gracePeriod(Duration.ofSeconds(10)).maintenanceInterval(Duration.ZERO)
      .clock((InstantSource) now::get).build();
  private final RecentRounds rounds = new RecentRounds(5);
  private final Connections connections = new Connections(cm);
  private final ConnmgrHealthIndicator health = new ConnmgrHealthIndicator(cm, rounds);

  {
    cm.addListener(rounds);
  }

  @AfterEach
  void close() {
    cm.close();
  }

  @Test
  void upWithCountsAndWatermarks() {
    connections.open("a");
    Health h = health.health();
    assertThat(h.getStatus()).isEqualTo(Status.UP);
    assertThat(h.getDetails()).containsEntry("connections", 1).containsEntry("lowWater", 1)
        .containsEntry("highWater", 2).containsEntry("aboveHighWater", false)
        .doesNotContainKey("lastRound").doesNotContainKey("stuckAboveHighWater");
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
    // the health indicator hears rounds as a listener, on the manager's callback threads
    await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> health.health().getDetails().get("stuckAboveHighWater") instanceof Map<?, ?> m
            && Integer.valueOf(2).equals(m.get("rounds")));

    Health h = health.health();

    assertThat(h.getStatus()).isEqualTo(Status.UP);
    assertThat(h.getDetails()).containsEntry("aboveHighWater", true);
    @SuppressWarnings("unchecked")
    Map<String, Object> last = (Map<String, Object>) h.getDetails().get("lastRound");
    assertThat(last).containsEntry("reachedTarget", false)
        .containsEntry("heldBack", Map.of("protected", 4));
    @SuppressWarnings("unchecked")
    Map<String, Object> stuck = (Map<String, Object>) h.getDetails().get("stuckAboveHighWater");
    assertThat(stuck).containsEntry("rounds", 2);
    assertThat((String) stuck.get("message"))
        .isEqualTo("connections stayed above high water 2 through the last 2 rounds; "
            + "candidates held back: 4 protected");
  }

  @Test
  void aRoundThatReachedItsTargetEndsTheStreak() {
    for (String p : new String[] {"a", "b", "c"}) {
      connections.open(p);
    }
    now.set(now.get().plusSeconds(11));
    cm.trim();
    assertThat(health.health().getDetails()).doesNotContainKey("stuckAboveHighWater")
        .containsEntry("aboveHighWater", false);
  }

  @Test
  void aClosedManagerIsOutOfService() {
    cm.close();
    assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
  }
}
