package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.connmgr.inspect.ManagerStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderTest {

  private final ManualClock clock = new ManualClock();

  @Test
  void defaultsAreLow600High900Grace20sSilence10s() {
    try (ConnectionManager cm =
        ConnectionManager.builder().clock(clock).maintenanceInterval(Duration.ZERO).build()) {
      ManagerStats info = cm.stats();

      assertThat(info.lowWater()).isEqualTo(600);
      assertThat(info.highWater()).isEqualTo(900);
      assertThat(info.gracePeriod()).isEqualTo(Duration.ofSeconds(20));
      assertThat(info.silencePeriod()).isEqualTo(Duration.ofSeconds(10));
      assertThat(info.connectionCount()).isZero();
      assertThat(info.lastTrim()).isEmpty();
    }
  }

  @Test
  void defaultHistoryKeeps1000Records() {
    RecordingCloser closer = new RecordingCloser();
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .lowWater(1)
            .highWater(1)
            .build()) {
      closer.openMany(cm, "p", 1002);
      clock.advance(Duration.ofSeconds(21));

      TrimReport report = cm.trim();

      assertThat(report.evicted()).hasSize(1001);
      assertThat(cm.inspect().evictionHistory()).hasSize(1000);
      assertThat(cm.inspect().evictionHistory().get(0)).isEqualTo(report.evicted().get(1000));
    }
  }

  @Test
  void byDefaultUpkeepRunsInTheBackground() throws InterruptedException {
    java.util.concurrent.CountDownLatch round = new java.util.concurrent.CountDownLatch(1);
    RecordingCloser closer = new RecordingCloser();
    try (ConnectionManager cm =
        ConnectionManager.builder().clock(clock).lowWater(1).highWater(1).build()) {
      cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRound(TrimReport report) {
              round.countDown();
            }
          });
      closer.openMany(cm, "p", 2);
      clock.advance(Duration.ofSeconds(21));

      // The default period is 1 s; allow generously for a slow machine.
      assertThat(round.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(closer.records())
          .singleElement()
          .satisfies(r -> assertThat(r.trigger()).isEqualTo(Trigger.WATERMARK));
    }
  }

  @Test
  void builtSettingsAreReportedByInfo() {
    try (ConnectionManager cm =
        Managers.builder(clock)
            .lowWater(3)
            .highWater(7)
            .gracePeriod(Duration.ofSeconds(5))
            .silencePeriod(Duration.ofSeconds(2))
            .build()) {
      ManagerStats info = cm.stats();

      assertThat(info.lowWater()).isEqualTo(3);
      assertThat(info.highWater()).isEqualTo(7);
      assertThat(info.gracePeriod()).isEqualTo(Duration.ofSeconds(5));
      assertThat(info.silencePeriod()).isEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void lowWaterMayEqualHighWater() {
    try (ConnectionManager cm = Managers.builder(clock).lowWater(5).highWater(5).build()) {
      assertThat(cm.stats().lowWater()).isEqualTo(cm.stats().highWater());
    }
  }

  @Test
  void lowWaterAboveHighWaterIsRefusedNamingBoth() {
    ConnectionManager.Builder builder = Managers.builder(clock).lowWater(10).highWater(9);

    assertThatIllegalArgumentException()
        .isThrownBy(builder::build)
        .withMessageContaining("lowWater")
        .withMessageContaining("highWater")
        .withMessageContaining("10")
        .withMessageContaining("9");
  }

  @Test
  void nonPositiveWatermarksAreRefusedNamingTheArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().lowWater(0).build())
        .withMessageContaining("lowWater");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().lowWater(-1).build())
        .withMessageContaining("lowWater");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().highWater(0).build())
        .withMessageContaining("highWater");
  }

  @Test
  void negativeDurationsAreRefusedNamingTheArgument() {
    Duration negative = Duration.ofMillis(-1);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().gracePeriod(negative).build())
        .withMessageContaining("gracePeriod");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().silencePeriod(negative).build())
        .withMessageContaining("silencePeriod");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().maintenanceInterval(negative).build())
        .withMessageContaining("maintenanceInterval");
  }

  @Test
  void zeroPeriodsAreAllowed() {
    try (ConnectionManager cm =
        Managers.builder(clock).gracePeriod(Duration.ZERO).silencePeriod(Duration.ZERO).build()) {
      assertThat(cm.stats().gracePeriod()).isZero();
      assertThat(cm.stats().silencePeriod()).isZero();
    }
  }

  @Test
  void nullArgumentsAreRefusedNamingTheArgument() {
    assertThatNullPointerException()
        .isThrownBy(() -> ConnectionManager.builder().gracePeriod(null))
        .withMessageContaining("gracePeriod");
    assertThatNullPointerException()
        .isThrownBy(() -> ConnectionManager.builder().silencePeriod(null))
        .withMessageContaining("silencePeriod");
    assertThatNullPointerException()
        .isThrownBy(() -> ConnectionManager.builder().clock(null))
        .withMessageContaining("clock");
  }

  @Test
  void negativeHistorySizeIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().historySize(-1).build())
        .withMessageContaining("historySize");
  }

  @Test
  void theManagerReadsTimeFromTheInjectedClock() {
    try (ConnectionManager cm = Managers.builder(clock).build()) {
      clock.advance(Duration.ofHours(3));

      assertThat(cm.inspect().now()).isEqualTo(ManualClock.START.plus(Duration.ofHours(3)));
      assertThat(cm.inspect().snapshot().takenAt()).isEqualTo(cm.inspect().now());
    }
  }

  @Test
  void closeIsIdempotentAndRefusesNewConnectionsAfterwards() {
    ConnectionManager cm = Managers.builder(clock).build();
    cm.close();
    cm.close();

    assertThat(cm.isClosed()).isTrue();
    org.assertj.core.api.Assertions.assertThatIllegalStateException()
        .isThrownBy(() -> cm.connectionOpened(PeerId.of("p"), Direction.INBOUND, "a", why -> {}));
  }
}
