package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every duration has a documented maximum (and upkeep and decay a minimum): the builder refuses
 * anything beyond, naming the setting, and nothing the manager computes from a duration overflows.
 */
class BoundsTest {

  private static final Duration FOUR_HUNDRED_YEARS = Duration.ofDays(400L * 365);
  private static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  /** Each builder setting taking a duration, with its documented maximum. */
  static Stream<Arguments> durationSettings() {
    return Stream.of(
        setting("gracePeriod", Bounds.GRACE_PERIOD_MAX, ConnectionManager.Builder::gracePeriod),
        setting(
            "silencePeriod", Bounds.SILENCE_PERIOD_MAX, ConnectionManager.Builder::silencePeriod),
        setting(
            "maintenanceInterval",
            Bounds.MAINTENANCE_INTERVAL_MAX,
            ConnectionManager.Builder::maintenanceInterval),
        setting("maxLease", Bounds.MAX_LEASE_MAX, ConnectionManager.Builder::maxLease),
        setting(
            "maxLeaseLifetime",
            Bounds.MAX_LEASE_LIFETIME_MAX,
            ConnectionManager.Builder::maxLeaseLifetime),
        setting("scorerBudget", Bounds.SCORER_BUDGET_MAX, ConnectionManager.Builder::scorerBudget),
        setting(
            "callbackBudget",
            Bounds.CALLBACK_BUDGET_MAX,
            ConnectionManager.Builder::callbackBudget));
  }

  private static Arguments setting(
      String name,
      Duration max,
      java.util.function.BiFunction<ConnectionManager.Builder, Duration, ConnectionManager.Builder>
          setter) {
    Function<Duration, ConnectionManager.Builder> apply =
        d -> setter.apply(ConnectionManager.builder(), d);
    return Arguments.of(name, max, apply);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("durationSettings")
  void aDurationAboveItsMaximumIsRefusedNamingTheSettingAndTheMaximum(
      String name, Duration max, Function<Duration, ConnectionManager.Builder> set) {
    for (Duration tooLong : new Duration[] {max.plusNanos(1), FOUR_HUNDRED_YEARS, LONGEST}) {
      assertThatIllegalArgumentException()
          .as("%s = %s", name, tooLong)
          .isThrownBy(() -> set.apply(tooLong).build())
          .withMessageContaining(name)
          .withMessageContaining("to " + DurationText.format(max));
    }
    assertThat(set.apply(max).validate())
        .as("%s at its maximum", name)
        .noneMatch(v -> v.setting().builderName().equals(name));
  }

  @Test
  void everyDurationAtItsMaximumRunsRoundsAndUpkeepWithoutOverflow() {
    ManualClock clock = new ManualClock();
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .lowWater(1)
            .highWater(1)
            .gracePeriod(Bounds.GRACE_PERIOD_MAX)
            .silencePeriod(Bounds.SILENCE_PERIOD_MAX)
            .maxLease(Bounds.MAX_LEASE_MAX)
            .maxLeaseLifetime(Bounds.MAX_LEASE_LIFETIME_MAX)
            .scorerBudget(Bounds.SCORER_BUDGET_MAX)
            .callbackBudget(Bounds.CALLBACK_BUDGET_MAX)
            .build()) {
      RecordingCloser closer = new RecordingCloser();
      closer.openMany(cm, "p", 3);
      cm.registerDecayingTag(
              "slow", Bounds.DECAY_INTERVAL_MAX, DecayFunctions.fixed(1), BumpFunctions.sum())
          .bump(PeerId.of("p-0"), 5);

      assertThatCode(
              () -> {
                cm.maintain();
                cm.trim();
                cm.inspect().assess();
                clock.advance(Bounds.GRACE_PERIOD_MAX.plusSeconds(1));
                cm.maintain();
              })
          .doesNotThrowAnyException();
      assertThat(cm.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void maintenanceIntervalHasAMinimumSoUpkeepNeverSpins() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> ConnectionManager.builder().maintenanceInterval(Duration.ofNanos(1)).build())
        .withMessageContaining("maintenanceInterval")
        .withMessageContaining("from " + DurationText.format(Bounds.MAINTENANCE_INTERVAL_MIN))
        .withMessageContaining("would keep a core busy");
    assertThat(ConnectionManager.builder().maintenanceInterval(Duration.ZERO).validate())
        .as("zero: no background upkeep")
        .isEmpty();
    assertThat(
            ConnectionManager.builder()
                .maintenanceInterval(Bounds.MAINTENANCE_INTERVAL_MIN)
                .validate())
        .isEmpty();
  }

  @Test
  void aLeaseOfAnyLengthIsCappedAtMaxLeaseWithoutOverflow() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(1)
                .highWater(1)
                .maxLease(Duration.ofSeconds(30))
                .maxLeaseLifetime(Duration.ofSeconds(100)))) {
      Instant start = h.clock.instant();
      Lease lease =
          h.open("a").lease(Duration.ofSeconds(Long.MAX_VALUE), LeaseListener.releasing());
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(30));

      assertThat(lease.extend(LONGEST)).isTrue();
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(60));
      assertThat(lease.canExtend(LONGEST)).isTrue();
      assertThat(lease.extend(LONGEST)).isTrue();
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(90));
      assertThat(lease.canExtend(LONGEST)).as("past the lifetime").isFalse();
      assertThat(lease.extend(LONGEST)).isFalse();
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(90));
    }
  }

  @Test
  void aListenerAskingForAnAbsurdExtensionGetsMaxLease() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(1)
                .highWater(1)
                .maxLease(Duration.ofSeconds(30))
                .maxLeaseLifetime(Duration.ofSeconds(100)))) {
      ManagedConnection leased = h.open("leased");
      h.open("other");
      Lease lease =
          leased.lease(
              Duration.ofSeconds(1), l -> LeaseDecision.extend(Duration.ofSeconds(Long.MAX_VALUE)));
      h.pastGrace();

      assertThatCode(h.cm::trim).doesNotThrowAnyException();
      assertThat(h.closedPeers()).containsExactly("other");
      assertThat(lease.expiresAt()).isEqualTo(h.clock.instant().plusSeconds(30));
    }
  }

  @Test
  void decayingTagIntervalsHaveAResolutionAndAMaximum() {
    try (ConnectionManager cm = Managers.manager(new ManualClock(), 1, 10)) {
      assertThatIllegalArgumentException()
          .isThrownBy(
              () ->
                  cm.registerDecayingTag(
                      "fast", Duration.ofNanos(1), DecayFunctions.fixed(1), BumpFunctions.sum()))
          .withMessageContaining("interval")
          .withMessageContaining("at least " + Bounds.DECAY_INTERVAL_MIN);
      assertThatIllegalArgumentException()
          .isThrownBy(
              () ->
                  cm.registerDecayingTag(
                      "slow", LONGEST, DecayFunctions.fixed(1), BumpFunctions.sum()))
          .withMessageContaining("interval")
          .withMessageContaining("at most " + Bounds.DECAY_INTERVAL_MAX);
      assertThatCode(
              () ->
                  cm.registerDecayingTag(
                      "finest",
                      Bounds.DECAY_INTERVAL_MIN,
                      DecayFunctions.fixed(1),
                      BumpFunctions.sum()))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void theDocumentedBoundsAreOrderedSensibly() {
    assertThat(Bounds.MAINTENANCE_INTERVAL_MIN).isLessThan(Bounds.MAINTENANCE_INTERVAL_MAX);
    assertThat(Bounds.DECAY_INTERVAL_MIN).isLessThan(Bounds.DECAY_INTERVAL_MAX);
    assertThat(Bounds.MAX_LEASE_MAX).isLessThanOrEqualTo(Bounds.MAX_LEASE_LIFETIME_MAX);
    assertThat(Bounds.DECAY_CATCH_UP_CALLS).isPositive();
  }

  @Test
  void everySettingsMaximumIsTakenAndOneStepAboveItIsRefusedNamingTheSetting() throws Exception {
    int bounded = 0;
    for (Setting setting : Setting.values()) {
      if (setting.maximum().isEmpty()) {
        continue;
      }
      bounded++;
      Object max = setting.maximum().get();
      Object above =
          max instanceof Duration d ? d.plusNanos(1) : Integer.valueOf((Integer) max + 1);
      Class<?> type = max instanceof Duration ? Duration.class : int.class;
      java.lang.reflect.Method set =
          ConnectionManager.Builder.class.getMethod(setting.builderName(), type);
      ConnectionManager.Builder atMax = ConnectionManager.builder();
      if (setting == Setting.RECONNECT_BACKOFF) {
        atMax.evictionMemoryWindow(Bounds.EVICTION_MEMORY_WINDOW_MAX);
      }
      if (setting == Setting.MAX_LEASE) {
        atMax.maxLeaseLifetime(Bounds.MAX_LEASE_LIFETIME_MAX);
      }
      set.invoke(atMax, max);
      assertThat(atMax.validate()).as("%s at %s", setting, max).isEmpty();
      ConnectionManager.Builder aboveMax = ConnectionManager.builder();
      set.invoke(aboveMax, above);
      assertThat(aboveMax.validate())
          .as("%s at %s", setting, above)
          .anySatisfy(v -> assertThat(v.setting()).isEqualTo(setting));
    }
    assertThat(bounded).isEqualTo(11);
    assertThat(Setting.LOW_WATER.maximum()).isEmpty();
  }
}
