package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * Which sources the clock reads through {@link System#nanoTime()}: the system's own clocks (the
 * builder's default among them), never an injected one. A default manager that took the injected
 * path paid a lock and an {@link Instant} on every reading, two per connect and disconnect.
 */
class ClockTest {

  @Test
  void theBuildersDefaultIsTheSystemClock() {
    assertThat(Clock.isSystem(InstantSource.system())).isTrue();
  }

  @Test
  void everyZoneOfTheSystemClockIsTheSystemClock() {
    assertThat(Clock.isSystem(java.time.Clock.systemUTC())).isTrue();
    assertThat(Clock.isSystem(java.time.Clock.system(ZoneId.of("Asia/Tokyo")))).isTrue();
  }

  @Test
  void anInjectedSourceIsReadItself() {
    InstantSource wrapped = () -> InstantSource.system().instant();
    assertThat(Clock.isSystem(wrapped)).isFalse();
    assertThat(Clock.isSystem(InstantSource.fixed(Instant.EPOCH))).isFalse();
    assertThat(
            Clock.isSystem(
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(1))))
        .isFalse();
  }

  @Test
  void anInjectedSourceSteppingBackCountsAsNoTimePassing() {
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock = new Clock(() -> now[0]);
    long start = clock.nanos();
    now[0] = now[0].minusSeconds(3600);
    assertThat(clock.nanos()).isEqualTo(start);
    now[0] = now[0].plusSeconds(1);
    assertThat(clock.nanos()).isEqualTo(start + 1_000_000_000L);
  }
}
