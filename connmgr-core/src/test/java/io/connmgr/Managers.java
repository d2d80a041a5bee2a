package io.connmgr;

import java.time.Duration;

/** Builders for tests: a manual clock, no background upkeep, the default periods spelt out. */
final class Managers {

  static final Duration GRACE = Duration.ofSeconds(20);
  static final Duration SILENCE = Duration.ofSeconds(10);

  /** Comfortably past the grace period. */
  static final Duration PAST_GRACE = GRACE.plusSeconds(1);

  private Managers() {}

  static ConnectionManager.Builder builder(ManualClock clock) {
    return ConnectionManager.builder()
        .clock(clock)
        .maintenanceInterval(Duration.ZERO)
        .gracePeriod(GRACE)
        .silencePeriod(SILENCE);
  }

  static ConnectionManager manager(ManualClock clock, int low, int high) {
    return builder(clock).lowWater(low).highWater(high).build();
  }

  static PeerId peer(String name) {
    return PeerId.of(name);
  }
}
