package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.connmgr.inspect.ManagerStats;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The builder records, then checks the whole configuration and reports every violation at once. */
class SettingsValidationTest {

  @Test
  void severalBadSettingsAreAllReportedTogetherEachNamingItsSetting() {
    ConnectionManager.Builder builder =
        ConnectionManager.builder()
            .lowWater(700)
            .highWater(500)
            .gracePeriod(Duration.ofSeconds(-1))
            .maxLease(Duration.ofMinutes(5))
            .maxLeaseLifetime(Duration.ofMinutes(1))
            .scorerWeight("latency", 1001)
            .scorerWeight("relay", -0.5)
            .maxConnections(400)
            .maxInboundShare(0)
            .allow(PeerId.unverified("claimed"), PeerId.of("both"))
            .deny(PeerId.of("both"))
            .emergencyHeapThreshold(1)
            .evictionMemorySize(-1)
            .evictionMemoryWindow(Duration.ofMinutes(1))
            .reconnectBackoff(Duration.ofMinutes(2));

    InvalidSettingsException failure = catchInvalid(builder);

    assertThat(failure.violations())
        .extracting(v -> v.setting(), v -> v.key())
        .containsExactly(
            tuple(Setting.LOW_WATER, null),
            tuple(Setting.GRACE_PERIOD, null),
            tuple(Setting.MAX_LEASE_LIFETIME, null),
            tuple(Setting.SCORER_WEIGHT, "latency"),
            tuple(Setting.SCORER_WEIGHT, "relay"),
            tuple(Setting.MAX_CONNECTIONS, null),
            tuple(Setting.MAX_INBOUND_SHARE, null),
            tuple(Setting.ALLOW, null),
            tuple(Setting.DENY, null),
            tuple(Setting.EMERGENCY_HEAP_THRESHOLD, null),
            tuple(Setting.EVICTION_MEMORY_SIZE, null),
            tuple(Setting.RECONNECT_BACKOFF, null));
    assertThat(failure.violations()).isEqualTo(builder.validate());
    assertThat(failure)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lowWater = 700: must not be above high water (500)")
        .hasMessageContaining("gracePeriod = -1s: must be from 0s to 1d")
        .hasMessageContaining("maxConnections = 400: must be above high water (500)");
  }

  @Test
  void aViolationInvolvingTwoSettingsNamesTheOther() {
    InvalidSettingsException failure =
        catchInvalid(ConnectionManager.builder().lowWater(10).highWater(9));

    assertThat(failure.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.setting()).isEqualTo(Setting.LOW_WATER);
              assertThat(v.value()).isEqualTo("10");
              assertThat(v.related()).containsExactly(Setting.HIGH_WATER);
              assertThat(v.message()).contains("lower it or raise high water");
            });
  }

  @Test
  void theDefaultsAreValidAndSettersRecordWithoutChecking() {
    assertThat(ConnectionManager.builder().validate()).isEmpty();
    ConnectionManager.Builder builder = ConnectionManager.builder().lowWater(-5);

    assertThat(builder.validate())
        .extracting(InvalidSettingsException.Violation::setting)
        .containsExactly(Setting.LOW_WATER);
    assertThat(builder.lowWater(5).highWater(5).validate()).isEmpty();
  }

  static Stream<Arguments> ranges() {
    return Stream.of(
        range(Setting.LOW_WATER, b -> b.lowWater(1), b -> b.lowWater(0)),
        range(Setting.HIGH_WATER, b -> b.lowWater(1).highWater(1), b -> b.highWater(-1)),
        range(
            Setting.GRACE_PERIOD,
            b -> b.gracePeriod(Bounds.GRACE_PERIOD_MAX),
            b -> b.gracePeriod(Bounds.GRACE_PERIOD_MAX.plusNanos(1))),
        range(
            Setting.SILENCE_PERIOD,
            b -> b.silencePeriod(Duration.ZERO),
            b -> b.silencePeriod(Duration.ofNanos(-1))),
        range(
            Setting.MAINTENANCE_INTERVAL,
            b -> b.maintenanceInterval(Duration.ZERO),
            b -> b.maintenanceInterval(Duration.ofMillis(9))),
        range(Setting.HISTORY_SIZE, b -> b.historySize(0), b -> b.historySize(-1)),
        range(
            Setting.MAX_LEASE,
            b -> b.maxLease(Duration.ofNanos(1)),
            b -> b.maxLease(Duration.ZERO)),
        range(
            Setting.MAX_LEASE_LIFETIME,
            b -> b.maxLease(Bounds.MAX_LEASE_MAX).maxLeaseLifetime(Bounds.MAX_LEASE_MAX),
            b -> b.maxLeaseLifetime(Bounds.MAX_LEASE_LIFETIME_MAX.plusSeconds(1))),
        range(
            Setting.SCORER_BUDGET,
            b -> b.scorerBudget(Bounds.SCORER_BUDGET_MAX),
            b -> b.scorerBudget(Duration.ZERO)),
        range(
            Setting.CALLBACK_BUDGET,
            b -> b.callbackBudget(Bounds.CALLBACK_BUDGET_MAX),
            b -> b.callbackBudget(Duration.ofDays(365 * 400L))),
        range(
            Setting.SCORER_WEIGHT,
            b -> b.scorerWeight("s", 0).scorerWeight("t", 1000),
            b -> b.scorerWeight(" ", 1)),
        range(
            Setting.MAX_CONNECTIONS,
            b -> b.highWater(900).maxConnections(901),
            b -> b.maxConnections(-1)),
        range(
            Setting.MAX_CONNECTIONS_PER_PEER,
            b -> b.maxConnectionsPerPeer(1),
            b -> b.maxConnectionsPerPeer(0)),
        range(
            Setting.MAX_INBOUND_SHARE,
            b -> b.maxInboundShare(1),
            b -> b.maxInboundShare(Double.NaN)),
        range(
            Setting.EMERGENCY_HEAP_THRESHOLD,
            b -> b.emergencyHeapThreshold(0.99),
            b -> b.emergencyHeapThreshold(0)),
        range(
            Setting.EVICTION_MEMORY_SIZE,
            b -> b.evictionMemorySize(Bounds.EVICTION_MEMORY_SIZE_MAX),
            b -> b.evictionMemorySize(Bounds.EVICTION_MEMORY_SIZE_MAX + 1)),
        range(
            Setting.EVICTION_MEMORY_WINDOW,
            b -> b.evictionMemoryWindow(Bounds.EVICTION_MEMORY_WINDOW_MAX),
            b -> b.evictionMemoryWindow(Duration.ofSeconds(-1))),
        range(
            Setting.RECONNECT_BACKOFF,
            b ->
                b.evictionMemoryWindow(Duration.ofMinutes(1))
                    .reconnectBackoff(Duration.ofMinutes(1)),
            b -> b.reconnectBackoff(Bounds.EVICTION_MEMORY_WINDOW_MAX.plusSeconds(1))));
  }

  private static Arguments range(
      Setting setting,
      UnaryOperator<ConnectionManager.Builder> edge,
      UnaryOperator<ConnectionManager.Builder> outside) {
    return Arguments.of(setting, edge, outside);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void eachSettingTakesItsEdgeAndRefusesJustOutside(
      Setting setting,
      UnaryOperator<ConnectionManager.Builder> edge,
      UnaryOperator<ConnectionManager.Builder> outside) {
    assertThat(edge.apply(ConnectionManager.builder()).validate()).as("at the edge").isEmpty();
    List<InvalidSettingsException.Violation> found =
        outside.apply(ConnectionManager.builder()).validate();
    assertThat(found)
        .extracting(InvalidSettingsException.Violation::setting)
        .containsExactly(setting);
    assertThat(found.get(0).message())
        .as("says what would be right")
        .containsPattern("must|needs|names|is an");
  }

  @Test
  void everySettingHasABuilderMethodADescriptionAndADefaultText() {
    for (Setting setting : Setting.values()) {
      assertThat(
              Stream.of(ConnectionManager.Builder.class.getMethods())
                  .map(java.lang.reflect.Method::getName))
          .as("builder method of %s", setting)
          .contains(setting.builderName());
      assertThat(setting.description()).isNotBlank();
      assertThat(setting.defaultText()).isNotBlank();
    }
    assertThat(Setting.GRACE_PERIOD.defaultText()).isEqualTo("20s");
    assertThat(Setting.SCORER_BUDGET.defaultText()).isEqualTo("500ms");
    assertThat(Setting.MAX_CONNECTIONS.defaultText()).isEqualTo("none");
    assertThat(Setting.MAX_CONNECTIONS.defaultValue()).isEmpty();
  }

  @Test
  void theBuilderStartsFromEverySettingsDefault() {
    try (ConnectionManager cm =
        ConnectionManager.builder().maintenanceInterval(Duration.ZERO).build()) {
      ManagerStats info = cm.stats();
      assertThat(info.lowWater()).isEqualTo(Setting.LOW_WATER.defaultValue().orElseThrow());
      assertThat(info.highWater()).isEqualTo(Setting.HIGH_WATER.defaultValue().orElseThrow());
      assertThat(info.gracePeriod()).isEqualTo(Setting.GRACE_PERIOD.defaultValue().orElseThrow());
      assertThat(info.silencePeriod())
          .isEqualTo(Setting.SILENCE_PERIOD.defaultValue().orElseThrow());
    }
  }

  @Test
  void durationsAreWrittenInTheLargestExactUnitWhateverTheirSize() {
    assertThat(DurationText.format(Duration.ofDays(146_000))).isEqualTo("146000d");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DurationText.format(Duration.ofSeconds(-1))).isEqualTo("-1s");
    assertThat(DurationText.format(Duration.ofNanos(1))).isEqualTo("1ns");
    assertThat(DurationText.format(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)))
        .isEqualTo(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999).toString());
  }

  private static InvalidSettingsException catchInvalid(ConnectionManager.Builder builder) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(
        InvalidSettingsException.class, builder::build);
  }
}
