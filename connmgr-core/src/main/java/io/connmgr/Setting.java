package io.connmgr;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every setting of {@link ConnectionManager.Builder}, with its default and what it means: the one
 * place defaults live. The starter maps its {@code connmgr.*} properties onto these, the docs'
 * tables are tested against them, and each {@link InvalidSettingsException.Violation} names one.
 */
public enum Setting {

  /** {@link ConnectionManager.Builder#lowWater}. */
  LOW_WATER("lowWater", 600, "the count a round trims down to; positive, at most high water"),
  /** {@link ConnectionManager.Builder#highWater}. */
  HIGH_WATER("highWater", 900, "the count above which automatic rounds run; positive"),
  /** {@link ConnectionManager.Builder#gracePeriod}. */
  GRACE_PERIOD(
      "gracePeriod", Duration.ofSeconds(20), "how long a new connection is no candidate; 0 to 1d"),
  /** {@link ConnectionManager.Builder#silencePeriod}. */
  SILENCE_PERIOD(
      "silencePeriod",
      Duration.ofSeconds(10),
      "the least time between two automatic rounds; 0 to 1d"),
  /** {@link ConnectionManager.Builder#clock}. */
  CLOCK("clock", InstantSource.system(), "the source of time; tests give a manual one"),
  /** {@link ConnectionManager.Builder#maintenanceInterval}. */
  MAINTENANCE_INTERVAL(
      "maintenanceInterval",
      Duration.ofSeconds(1),
      "the period of background upkeep; 10ms to 1h, or 0 for none"),
  /** {@link ConnectionManager.Builder#historySize}. */
  HISTORY_SIZE("historySize", 1000, "how many eviction records are kept; 0 or more"),
  /** {@link ConnectionManager.Builder#roundHistorySize}. */
  ROUND_HISTORY_SIZE("roundHistorySize", 32, "how many round reports stats() keeps; 0 to 10000"),
  /** {@link ConnectionManager.Builder#maxLease}. */
  MAX_LEASE(
      "maxLease",
      Duration.ofMinutes(2),
      "the cap on one lease and on each extension; above 0, up to 1d"),
  /** {@link ConnectionManager.Builder#maxLeaseLifetime}. */
  MAX_LEASE_LIFETIME(
      "maxLeaseLifetime",
      Duration.ofMinutes(10),
      "the cap on a lease's whole life, extensions included; at least max lease, up to 7d"),
  /** {@link ConnectionManager.Builder#scorerBudget}. */
  SCORER_BUDGET(
      "scorerBudget",
      Duration.ofMillis(500),
      "the time one scorer call may take before a round stops waiting for it; above 0, up to 1m"),
  /** {@link ConnectionManager.Builder#callbackBudget}. */
  CALLBACK_BUDGET(
      "callbackBudget",
      Duration.ofSeconds(1),
      "how long a round waits for one closer, veto or lease listener; above 0, up to 10m"),
  /** {@link ConnectionManager.Builder#scorerWeight}, per scorer name. */
  SCORER_WEIGHT("scorerWeight", 1.0, "the weight of one scorer's results, per name; 0 to 1000"),
  /** {@link ConnectionManager.Builder#maxConnections}. */
  MAX_CONNECTIONS(
      "maxConnections", null, "a hard cap on open connections, above high water; none by default"),
  /** {@link ConnectionManager.Builder#maxConnectionsPerPeer}. */
  MAX_CONNECTIONS_PER_PEER(
      "maxConnectionsPerPeer", null, "a cap on one peer's connections; positive, none by default"),
  /** {@link ConnectionManager.Builder#maxInboundShare}. */
  MAX_INBOUND_SHARE(
      "maxInboundShare",
      null,
      "the share of the cap (or of high water) inbound connections may take; above 0, up to 1"),
  /** {@link ConnectionManager.Builder#allow}. */
  ALLOW("allow", null, "verified peer ids that bypass the caps"),
  /** {@link ConnectionManager.Builder#deny}. */
  DENY("deny", null, "peer ids whose connections are always refused"),
  /** {@link ConnectionManager.Builder#emergencyHeapThreshold}. */
  EMERGENCY_HEAP_THRESHOLD(
      "emergencyHeapThreshold",
      null,
      "the heap fraction whose crossing after a collection runs an emergency round; in (0, 1)"),
  /** {@link ConnectionManager.Builder#memoryPressureSource}. */
  MEMORY_PRESSURE_SOURCE(
      "memoryPressureSource",
      null,
      "what reports heap pressure; a MemoryPressureSource.heap() made for each manager by default"),
  /** {@link ConnectionManager.Builder#closeOnShutdown}. */
  CLOSE_ON_SHUTDOWN(
      "closeOnShutdown", false, "whether closing the manager closes every connection"),
  /** {@link ConnectionManager.Builder#evictionMemorySize}. */
  EVICTION_MEMORY_SIZE(
      "evictionMemorySize",
      ConnectionManager.DEFAULT_EVICTION_MEMORY_SIZE,
      "how many recently evicted peers are remembered; 0 (off) to 1000000"),
  /** {@link ConnectionManager.Builder#evictionMemoryWindow}. */
  EVICTION_MEMORY_WINDOW(
      "evictionMemoryWindow",
      Duration.ofMinutes(10),
      "how long a peer is remembered after its last eviction; above 0, up to 1d"),
  /** {@link ConnectionManager.Builder#reconnectBackoff}. */
  RECONNECT_BACKOFF(
      "reconnectBackoff",
      Duration.ofSeconds(30),
      "the reconnect backoff of a first eviction, doubled per further one; above 0, up to the window"),
  /** {@link ConnectionManager.Builder#restoreStateOnReconnect}. */
  RESTORE_STATE_ON_RECONNECT(
      "restoreStateOnReconnect",
      false,
      "whether a returning peer gets back the tags and peer state it had when evicted");

  private final String builderName;
  private final @Nullable Object defaultValue;
  private final String description;

  Setting(String builderName, @Nullable Object defaultValue, String description) {
    this.builderName = builderName;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The name of the builder method that sets it, such as {@code lowWater}. */
  public String builderName() {
    return builderName;
  }

  /**
   * The default value ({@link Integer}, {@link Double}, {@link Boolean}, {@link Duration} or, for
   * the clock, an {@link InstantSource}); empty when the setting is off or unlimited by default,
   * and for the memory pressure source, which is made anew for each manager.
   */
  public Optional<Object> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /**
   * The largest value the builder takes for this setting ({@link Duration} or {@link Integer});
   * empty when only the type or another setting bounds it. The builder refuses a value above it
   * with an {@link InvalidSettingsException} naming the setting; the starter's properties reach the
   * same check. A positive {@code maintenanceInterval} must also be at least 10 ms.
   */
  public Optional<Object> maximum() {
    Object max =
        switch (this) {
          case GRACE_PERIOD -> Bounds.GRACE_PERIOD_MAX;
          case SILENCE_PERIOD -> Bounds.SILENCE_PERIOD_MAX;
          case MAINTENANCE_INTERVAL -> Bounds.MAINTENANCE_INTERVAL_MAX;
          case ROUND_HISTORY_SIZE -> Bounds.ROUND_HISTORY_SIZE_MAX;
          case MAX_LEASE -> Bounds.MAX_LEASE_MAX;
          case MAX_LEASE_LIFETIME -> Bounds.MAX_LEASE_LIFETIME_MAX;
          case SCORER_BUDGET -> Bounds.SCORER_BUDGET_MAX;
          case CALLBACK_BUDGET -> Bounds.CALLBACK_BUDGET_MAX;
          case EVICTION_MEMORY_SIZE -> Bounds.EVICTION_MEMORY_SIZE_MAX;
          case EVICTION_MEMORY_WINDOW, RECONNECT_BACKOFF -> Bounds.EVICTION_MEMORY_WINDOW_MAX;
          default -> null;
        };
    return Optional.ofNullable(max);
  }

  /**
   * The default as the docs and the starter's properties write it: {@code 600}, {@code 20s}, {@code
   * 1.0}, {@code false}; {@code none} when there is none; {@code system} for the clock and {@code
   * MemoryPressureSource.heap()} for the memory pressure source.
   */
  public String defaultText() {
    if (this == CLOCK) {
      return "system";
    }
    if (this == MEMORY_PRESSURE_SOURCE) {
      return "MemoryPressureSource.heap()";
    }
    if (defaultValue instanceof Duration d) {
      return DurationText.format(d);
    }
    return defaultValue == null ? "none" : defaultValue.toString();
  }

  /** What the setting means and the values it takes, in one line. */
  public String description() {
    return description;
  }

  int defaultInt() {
    return (Integer) requiredDefault();
  }

  Duration defaultDuration() {
    return (Duration) requiredDefault();
  }

  double defaultDouble() {
    return (Double) requiredDefault();
  }

  boolean defaultBoolean() {
    return (Boolean) requiredDefault();
  }

  private Object requiredDefault() {
    if (defaultValue == null) {
      throw new IllegalStateException(name() + " has no default value");
    }
    return defaultValue;
  }
}
