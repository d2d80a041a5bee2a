package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Durations run on a monotonic count: a wall clock stepped back does not stop rounds, leases or
 * grace; records still show the wall clock.
 */
class WallClockTest {

  @Test
  void aWallClockSteppedBackAnHourDoesNotStopRounds() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(2)
                .highWater(4)
                .silencePeriod(Duration.ofSeconds(10)))) {
      for (int i = 0; i < 6; i++) {
        h.open("a" + i);
      }
      h.pastGrace();
      h.cm.maintain();
      assertThat(h.cm.connectionCount()).isEqualTo(2);

      h.clock.stepBack(Duration.ofHours(1));
      for (int i = 0; i < 6; i++) {
        h.open("b" + i);
      }
      h.pastGrace(); // 21 s later by every clock that runs forward

      h.cm.maintain();

      assertThat(h.cm.connectionCount()).isEqualTo(2);
      Instant wall = h.clock.instant();
      assertThat(h.cm.inspect().evictionHistory().get(0).at()).isEqualTo(wall);
    }
  }

  @Test
  void aWallClockSteppedBackDoesNotStretchALease() {
    try (Harness h = new Harness(1, 1)) {
      ManagedConnection leased = h.open("leased");
      h.open("other");
      h.cm.tagPeer(PeerId.of("other"), "t", 10);
      Lease lease = leased.lease(Duration.ofSeconds(30), LeaseListener.releasing());
      // the manager reads an injected clock when it needs the time (upkeep: every second), and
      // counts the steps forward it sees
      h.pastGrace();
      h.cm.inspect().snapshot();
      h.clock.stepBack(Duration.ofHours(1));
      h.cm.inspect().snapshot();
      h.clock.advance(Duration.ofSeconds(10)); // 31 s after the lease began

      TrimReport report = h.cm.trim();

      assertThat(lease.isActive()).as(report.summary()).isFalse();
      assertThat(leased.isOpen()).isFalse();
    }
  }

  @Test
  void aWallClockThatJumpsToTheEndOfTimeNeitherThrowsNorStopsRounds() {
    AtomicReference<Instant> wall = new AtomicReference<>(ManualClock.START);
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .lowWater(1)
            .highWater(2)
            .gracePeriod(Duration.ZERO)
            .maintenanceInterval(Duration.ZERO)
            .clock(wall::get)
            .build()) {
      for (int i = 0; i < 4; i++) {
        cm.connectionOpened(PeerId.of("p" + i), Direction.INBOUND, "addr", why -> {});
      }

      wall.set(Instant.MAX);
      TrimReport atTheEnd = cm.trim();
      wall.set(Instant.MIN);
      cm.connectionOpened(PeerId.of("late"), Direction.INBOUND, "addr", why -> {});
      cm.maintain();
      TrimReport afterTheStepBack = cm.trim();

      assertThat(atTheEnd.evicted()).hasSize(3);
      assertThat(afterTheStepBack.evicted()).hasSize(1);
      assertThat(cm.connectionCount()).isEqualTo(1);
      assertThat(cm.inspect().snapshot().connections()).hasSize(1);
    }
  }
}
