package io.connmgr;

import io.connmgr.internal.AdmissionSettings;
import io.connmgr.internal.EvictionMemorySettings;
import io.connmgr.internal.ManagerSettings;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ConnectionManager.Builder} recorded, starting from each {@link Setting}'s default:
 * checked as a whole, then frozen into the engine's settings.
 */
final class RecordedSettings {

  private static final Duration ONE_NANO = Duration.ofNanos(1);

  int lowWater = Setting.LOW_WATER.defaultInt();
  int highWater = Setting.HIGH_WATER.defaultInt();
  Duration gracePeriod = Setting.GRACE_PERIOD.defaultDuration();
  Duration silencePeriod = Setting.SILENCE_PERIOD.defaultDuration();
  InstantSource clock = (InstantSource) Setting.CLOCK.defaultValue().orElseThrow();
  Duration maintenanceInterval = Setting.MAINTENANCE_INTERVAL.defaultDuration();
  int historySize = Setting.HISTORY_SIZE.defaultInt();
  int roundHistorySize = Setting.ROUND_HISTORY_SIZE.defaultInt();
  Duration maxLease = Setting.MAX_LEASE.defaultDuration();
  Duration maxLeaseLifetime = Setting.MAX_LEASE_LIFETIME.defaultDuration();
  Duration scorerBudget = Setting.SCORER_BUDGET.defaultDuration();
  Duration callbackBudget = Setting.CALLBACK_BUDGET.defaultDuration();
  final Map<String, Double> scorerWeights = new LinkedHashMap<>();
  @Nullable Integer maxConnections;
  @Nullable Integer maxConnectionsPerPeer;
  @Nullable Double maxInboundShare;
  final Set<PeerId> allow = new LinkedHashSet<>();
  final Set<PeerId> deny = new LinkedHashSet<>();
  @Nullable Double emergencyHeapThreshold;
  @Nullable MemoryPressureSource memoryPressureSource;
  boolean closeOnShutdown = Setting.CLOSE_ON_SHUTDOWN.defaultBoolean();
  int evictionMemorySize = Setting.EVICTION_MEMORY_SIZE.defaultInt();
  Duration evictionMemoryWindow = Setting.EVICTION_MEMORY_WINDOW.defaultDuration();
  Duration reconnectBackoff = Setting.RECONNECT_BACKOFF.defaultDuration();
  boolean restoreStateOnReconnect = Setting.RESTORE_STATE_ON_RECONNECT.defaultBoolean();

  /** Every violation, in the order of {@link Setting}; empty when a manager can be built. */
  List<InvalidSettingsException.Violation> violations() {
    SettingsCheck check = new SettingsCheck();
    checkWatermarks(check);
    check.between(Setting.GRACE_PERIOD, gracePeriod, Duration.ZERO, Bounds.GRACE_PERIOD_MAX);
    check.between(Setting.SILENCE_PERIOD, silencePeriod, Duration.ZERO, Bounds.SILENCE_PERIOD_MAX);
    check.offOrBetween(
        Setting.MAINTENANCE_INTERVAL,
        maintenanceInterval,
        Bounds.MAINTENANCE_INTERVAL_MIN,
        Bounds.MAINTENANCE_INTERVAL_MAX,
        "no background upkeep");
    check.between(Setting.HISTORY_SIZE, historySize, 0, Integer.MAX_VALUE);
    check.between(Setting.ROUND_HISTORY_SIZE, roundHistorySize, 0, Bounds.ROUND_HISTORY_SIZE_MAX);
    checkLeases(check);
    check.between(Setting.SCORER_BUDGET, scorerBudget, ONE_NANO, Bounds.SCORER_BUDGET_MAX);
    check.between(Setting.CALLBACK_BUDGET, callbackBudget, ONE_NANO, Bounds.CALLBACK_BUDGET_MAX);
    scorerWeights.forEach(
        (name, weight) -> {
          if (name.isBlank()) {
            check.add(Setting.SCORER_WEIGHT, name, weight, "needs a scorer name that is not blank");
          } else if (!(weight >= 0 && weight <= 1000)) {
            check.add(
                Setting.SCORER_WEIGHT,
                name,
                weight,
                "must be between 0 and 1000: a scorer's results are multiplied by it");
          }
        });
    checkAdmission(check);
    if (emergencyHeapThreshold != null
        && !(emergencyHeapThreshold > 0 && emergencyHeapThreshold < 1)) {
      check.add(
          Setting.EMERGENCY_HEAP_THRESHOLD,
          null,
          emergencyHeapThreshold,
          "must be between 0 and 1, both excluded: it is a fraction of the maximum heap");
    }
    checkEvictionMemory(check);
    return check.violations();
  }

  private void checkWatermarks(SettingsCheck check) {
    check.positive(Setting.LOW_WATER, lowWater);
    check.positive(Setting.HIGH_WATER, highWater);
    if (lowWater > highWater && highWater > 0) {
      check.add(
          Setting.LOW_WATER,
          null,
          lowWater,
          "must not be above high water ("
              + highWater
              + "): a round trims down to low water once the count passes high water; lower it or"
              + " raise high water",
          Setting.HIGH_WATER);
    }
  }

  private void checkLeases(SettingsCheck check) {
    check.between(Setting.MAX_LEASE, maxLease, ONE_NANO, Bounds.MAX_LEASE_MAX);
    check.between(
        Setting.MAX_LEASE_LIFETIME, maxLeaseLifetime, ONE_NANO, Bounds.MAX_LEASE_LIFETIME_MAX);
    if (maxLeaseLifetime.compareTo(maxLease) < 0 && isPositive(maxLeaseLifetime)) {
      check.add(
          Setting.MAX_LEASE_LIFETIME,
          null,
          maxLeaseLifetime,
          "must not be shorter than the maximum lease ("
              + SettingsCheck.text(maxLease)
              + "): extensions add to a lease; make it at least that long",
          Setting.MAX_LEASE);
    }
  }

  private void checkAdmission(SettingsCheck check) {
    if (maxConnections != null && maxConnections <= highWater) {
      check.add(
          Setting.MAX_CONNECTIONS,
          null,
          maxConnections,
          "must be above high water ("
              + highWater
              + "): the cap would refuse connections that rounds trim anyway; raise it"
              + " or lower high water",
          Setting.HIGH_WATER);
    }
    if (maxConnectionsPerPeer != null) {
      check.positive(Setting.MAX_CONNECTIONS_PER_PEER, maxConnectionsPerPeer);
    }
    if (maxInboundShare != null && !(maxInboundShare > 0 && maxInboundShare <= 1)) {
      check.add(
          Setting.MAX_INBOUND_SHARE,
          null,
          maxInboundShare,
          "must be above 0 and at most 1: it is a share of the cap");
    }
    for (PeerId peer : allow) {
      if (!peer.isVerified()) {
        check.add(
            Setting.ALLOW,
            null,
            peer.value(),
            "is an unverified id (a client merely"
                + " claimed it), so it can never bypass the caps; allow verified ids only");
      }
      if (deny.contains(peer)) {
        check.add(
            Setting.DENY,
            null,
            peer.value(),
            "names a peer that is also allowed; a peer is either allowed or denied",
            Setting.ALLOW);
      }
    }
  }

  private void checkEvictionMemory(SettingsCheck check) {
    check.between(
        Setting.EVICTION_MEMORY_SIZE, evictionMemorySize, 0, Bounds.EVICTION_MEMORY_SIZE_MAX);
    check.between(
        Setting.EVICTION_MEMORY_WINDOW,
        evictionMemoryWindow,
        ONE_NANO,
        Bounds.EVICTION_MEMORY_WINDOW_MAX);
    check.between(
        Setting.RECONNECT_BACKOFF, reconnectBackoff, ONE_NANO, Bounds.EVICTION_MEMORY_WINDOW_MAX);
    if (reconnectBackoff.compareTo(evictionMemoryWindow) > 0
        && isPositive(evictionMemoryWindow)
        && reconnectBackoff.compareTo(Bounds.EVICTION_MEMORY_WINDOW_MAX) <= 0) {
      check.add(
          Setting.RECONNECT_BACKOFF,
          null,
          reconnectBackoff,
          "must not be longer than the eviction memory window ("
              + SettingsCheck.text(evictionMemoryWindow)
              + "): a peer is forgotten, backoff and"
              + " all, when the window ends",
          Setting.EVICTION_MEMORY_WINDOW);
    }
  }

  private static boolean isPositive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  /** The engine's settings; call only when {@link #violations()} is empty. */
  ManagerSettings freeze() {
    int cap = maxConnections == null ? 0 : maxConnections;
    int inboundCap =
        maxInboundShare == null
            ? 0
            : (int) Math.ceil(maxInboundShare * (cap > 0 ? cap : highWater));
    return new ManagerSettings(
        lowWater,
        highWater,
        gracePeriod,
        silencePeriod,
        clock,
        maintenanceInterval,
        historySize,
        maxLease,
        maxLeaseLifetime,
        scorerBudget,
        callbackBudget,
        scorerWeights,
        new AdmissionSettings(
            cap,
            maxConnectionsPerPeer == null ? 0 : maxConnectionsPerPeer,
            inboundCap,
            allow,
            deny),
        emergencyHeapThreshold == null ? 0 : emergencyHeapThreshold,
        memoryPressureSource == null ? MemoryPressureSource.heap() : memoryPressureSource,
        closeOnShutdown,
        new EvictionMemorySettings(
            evictionMemorySize, evictionMemoryWindow, reconnectBackoff, restoreStateOnReconnect),
        roundHistorySize);
  }
}
