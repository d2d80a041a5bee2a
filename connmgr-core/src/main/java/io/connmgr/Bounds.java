package io.connmgr;

import java.time.Duration;
import java.util.Objects;

/**
 * The documented limits of every duration the manager takes, read by users through {@link
 * Setting#maximum()} (and, for decaying tags, documented on {@link
 * ConnectionManager#registerDecayingTag}): {@link ConnectionManager.Builder#build()} refuses a
 * setting outside them with an {@link InvalidSettingsException} naming it, so nothing the manager
 * computes from a duration can overflow. The Spring Boot starter's properties reach the same checks
 * through the builder.
 */
final class Bounds {

  /** The longest {@link ConnectionManager.Builder#gracePeriod grace period}: one day. */
  static final Duration GRACE_PERIOD_MAX = Duration.ofDays(1);

  /** The longest {@link ConnectionManager.Builder#silencePeriod silence period}: one day. */
  static final Duration SILENCE_PERIOD_MAX = Duration.ofDays(1);

  /**
   * The shortest {@link ConnectionManager.Builder#maintenanceInterval upkeep period} other than
   * zero (no background upkeep): 10 ms. Shorter ones would keep a core busy with upkeep.
   */
  static final Duration MAINTENANCE_INTERVAL_MIN = Duration.ofMillis(10);

  /** The longest upkeep period: one hour. */
  static final Duration MAINTENANCE_INTERVAL_MAX = Duration.ofHours(1);

  /** The largest {@link ConnectionManager.Builder#maxLease maximum lease}: one day. */
  static final Duration MAX_LEASE_MAX = Duration.ofDays(1);

  /**
   * The largest {@link ConnectionManager.Builder#maxLeaseLifetime maximum lease lifetime}: seven
   * days.
   */
  static final Duration MAX_LEASE_LIFETIME_MAX = Duration.ofDays(7);

  /** The largest {@link ConnectionManager.Builder#scorerBudget scorer budget}: one minute. */
  static final Duration SCORER_BUDGET_MAX = Duration.ofMinutes(1);

  /** The largest {@link ConnectionManager.Builder#callbackBudget callback budget}: ten minutes. */
  static final Duration CALLBACK_BUDGET_MAX = Duration.ofMinutes(10);

  /**
   * The resolution of decaying tags: the shortest {@link ConnectionManager#registerDecayingTag
   * interval}, one millisecond.
   */
  static final Duration DECAY_INTERVAL_MIN = Duration.ofMillis(1);

  /** The longest decaying tag interval: 365 days. */
  static final Duration DECAY_INTERVAL_MAX = Duration.ofDays(365);

  /**
   * The most calls one upkeep pass makes to a decay function for one peer, however many intervals
   * elapsed since the last pass; see {@link DecayFunction#decay(int, Duration, Duration, long)}.
   */
  static final int DECAY_CATCH_UP_CALLS = 64;

  private Bounds() {}

  /**
   * The longest {@link ConnectionManager.Builder#evictionMemoryWindow eviction memory window}: one
   * day. The {@link ConnectionManager.Builder#reconnectBackoff reconnect backoff} is bounded by the
   * window.
   */
  static final Duration EVICTION_MEMORY_WINDOW_MAX = Duration.ofDays(1);

  /**
   * The most peers the {@link ConnectionManager.Builder#evictionMemorySize eviction memory} holds.
   */
  static final int EVICTION_MEMORY_SIZE_MAX = 1_000_000;

  /** The most round reports {@link ConnectionManager#stats()} keeps. */
  static final int ROUND_HISTORY_SIZE_MAX = 10_000;

  /**
   * Checks that {@code value} lies in [{@code min}, {@code max}].
   *
   * @param setting the setting's name, for the message
   * @param min zero, one nanosecond (for "positive") or a documented minimum
   * @return {@code value}
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException naming the setting and the bound it breaks
   */
  static Duration check(String setting, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, setting + " must not be null");
    if (value.compareTo(min) < 0) {
      String least =
          min.isZero()
              ? "not be negative"
              : min.equals(Duration.ofNanos(1)) ? "be positive" : "be at least " + min;
      throw new IllegalArgumentException(setting + " must " + least + ", was " + value);
    }
    if (value.compareTo(max) > 0) {
      throw new IllegalArgumentException(setting + " must be at most " + max + ", was " + value);
    }
    return value;
  }
}
