package io.connmgr.autoconfigure;

import io.connmgr.Bounds;
import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code connmgr.*} settings of the auto-configured {@link ConnectionManager}. Every value is
 * checked when bound; bad ones fail start-up with an {@link InvalidConnmgrPropertiesException},
 * which {@link ConnmgrPropertiesFailureAnalyzer} turns into a report naming each property and why.
 *
 * @param enabled whether to auto-configure a connection manager at all
 * @param lowWater the number of open connections a trim round closes down to
 * @param highWater the number of open connections above which an automatic round runs; at least
 *     low water
 * @param gracePeriod how long a new connection is no candidate for closing; 0 to 1d
 * @param silencePeriod the least time between two automatic rounds; 0 to 1d
 * @param maintenanceInterval how often background upkeep runs (decay, expiry of temporary
 *     entries, automatic rounds): 10ms to 1h, or 0 to turn background upkeep off, leaving
 *     explicit trims only
 * @param maxLease the cap on one lease's length and on each extension; above 0, up to 1d
 * @param maxLeaseLifetime the cap on a lease's whole life, extensions included; at least max
 *     lease, up to 7d
 * @param scorerBudget the time one scorer call may take before a round stops waiting for it;
 *     above 0, up to 1m
 * @param callbackBudget how long a round waits for one closer, veto or lease listener call
 *     before it stops there and returns, naming it; above 0, up to 10m
 * @param scorers per scorer, by the bean name it is registered under: its weight
 * @param staticPeers peer ids pinned (protected under {@code connmgr:pinned}) at start-up
 * @param historySize how many eviction records to keep
 * @param closeOnShutdown whether to close every open connection, with a close status saying
 *     why, when the application shuts down; otherwise shutdown closes nothing
 * @param admission hard limits checked when a connection opens, before it counts
 * @param emergency rounds under heap pressure
 * @param pinsFile a file that keeps operator pins across restarts; none when unset
 * @param evictionMemory how the manager remembers the peers it evicted, against churn
 */
@ConfigurationProperties("connmgr")
public record ConnmgrProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("600") int lowWater,
    @DefaultValue("900") int highWater,
    @DefaultValue("20s") Duration gracePeriod,
    @DefaultValue("10s") Duration silencePeriod,
    @DefaultValue("1s") Duration maintenanceInterval,
    @DefaultValue("2m") Duration maxLease,
    @DefaultValue("10m") Duration maxLeaseLifetime,
    @DefaultValue("500ms") Duration scorerBudget,
    @DefaultValue("1s") Duration callbackBudget,
    @DefaultValue Map<String, Scorer> scorers,
    @DefaultValue List<String> staticPeers,
    @DefaultValue("1000") int historySize,
    @DefaultValue("false") boolean closeOnShutdown,
    @DefaultValue Admission admission,
    @DefaultValue Emergency emergency,
    @Nullable Path pinsFile,
    @DefaultValue EvictionMemory evictionMemory) {

  /** The property prefix. */
  public static final String PREFIX = "connmgr";

  /** Checks every value and collects every problem, so one start-up reports them all. */
  public ConnmgrProperties {
    scorers = scorers == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(scorers));
    staticPeers = staticPeers == null ? List.of() : List.copyOf(staticPeers);
    List<InvalidConnmgrPropertiesException.Violation> violations = new ArrayList<>();
    if (lowWater <= 0) {
      violations.add(violation("low-water", lowWater, "must be positive"));
    }
    if (highWater <= 0) {
      violations.add(violation("high-water", highWater, "must be positive"));
    }
    if (lowWater > 0 && highWater > 0 && lowWater > highWater) {
      violations.add(violation("low-water", lowWater, "must not be above connmgr.high-water ("
          + highWater + "): a round trims down to low water once the count passes high water"));
    }
    DurationRange.upTo(Bounds.GRACE_PERIOD_MAX).check(violations, "grace-period", gracePeriod);
    DurationRange.upTo(Bounds.SILENCE_PERIOD_MAX)
        .check(violations, "silence-period", silencePeriod);
    DurationRange.offOrBetween(Bounds.MAINTENANCE_INTERVAL_MIN, Bounds.MAINTENANCE_INTERVAL_MAX)
        .check(violations, "maintenance-interval", maintenanceInterval);
    DurationRange.positiveUpTo(Bounds.MAX_LEASE_MAX).check(violations, "max-lease", maxLease);
    DurationRange.positiveUpTo(Bounds.MAX_LEASE_LIFETIME_MAX)
        .check(violations, "max-lease-lifetime", maxLeaseLifetime);
    DurationRange.positiveUpTo(Bounds.SCORER_BUDGET_MAX)
        .check(violations, "scorer-budget", scorerBudget);
    DurationRange.positiveUpTo(Bounds.CALLBACK_BUDGET_MAX)
        .check(violations, "callback-budget", callbackBudget);
    if (isPositive(maxLease) && isPositive(maxLeaseLifetime)
        && maxLeaseLifetime.compareTo(maxLease) < 0) {
      violations.add(violation("max-lease-lifetime", maxLeaseLifetime,
          "must not be shorter than connmgr.max-lease (" + maxLease + ")"));
    }
    if (historySize < 0) {
      violations.add(violation("history-size", historySize, "must not be negative"));
    }
    scorers.forEach((name, scorer) -> {
      double weight = scorer == null ? 1.0 : scorer.weight();
      if (!(weight >= 0 && weight <= 1000)) {
        violations.add(violation("scorers." + name + ".weight", weight,
            "must be in [0, 1000]: a scorer's results are multiplied by it"));
      }
    });
    checkPeers(violations, "static-peers", staticPeers, true);
    if (admission == null) {
      admission = new Admission(null, null, null, List.of(), List.of());
    }
    if (emergency == null) {
      emergency = new Emergency(null);
    }
    if (evictionMemory == null) {
      evictionMemory = new EvictionMemory(true, ConnectionManager.DEFAULT_EVICTION_MEMORY_SIZE,
          EvictionMemory.DEFAULT_WINDOW, EvictionMemory.DEFAULT_BACKOFF, false);
    }
    admission.check(violations, highWater);
    emergency.check(violations);
    evictionMemory.check(violations);
    if (!violations.isEmpty()) {
      throw new InvalidConnmgrPropertiesException(violations);
    }
  }

  /** The weight configured for a scorer name; 1 when none is. */
  public double weightOf(String scorerName) {
    Scorer scorer = scorers.get(scorerName);
    return scorer == null ? 1.0 : scorer.weight();
  }

  /** The static peers as peer ids. */
  public List<PeerId> staticPeerIds() {
    return staticPeers.stream().map(PeerId::of).toList();
  }

  /** Applies these settings to a builder. */
  public ConnectionManager.Builder applyTo(ConnectionManager.Builder builder) {
    builder.lowWater(lowWater).highWater(highWater).gracePeriod(gracePeriod)
        .silencePeriod(silencePeriod).maxLease(maxLease).maxLeaseLifetime(maxLeaseLifetime)
        .scorerBudget(scorerBudget).callbackBudget(callbackBudget).historySize(historySize)
        .maintenanceInterval(maintenanceInterval);
    scorers.keySet().forEach(name -> builder.scorerWeight(name, weightOf(name)));
    admission.applyTo(builder);
    if (emergency.heapThreshold() != null) {
      builder.emergencyHeapThreshold(emergency.heapThreshold());
    }
    evictionMemory.applyTo(builder);
    return builder;
  }

  /**
   * Hard limits checked when a connection opens, before it counts; pinned and allowed peers
   * bypass the caps. Unset limits are off.
   *
   * @param maxConnections a cap on open connections, above high water; at the cap a newcomer
   *     displaces a lower-scoring evictable connection or is refused
   * @param maxConnectionsPerPeer a cap on one peer's connections
   * @param maxInboundShare the share of the cap (or of high water, without one) inbound
   *     connections may take, in (0, 1]
   * @param allow peer ids that bypass the caps
   * @param deny peer ids whose connections are always refused
   */
  public record Admission(
      @Nullable Integer maxConnections,
      @Nullable Integer maxConnectionsPerPeer,
      @Nullable Double maxInboundShare,
      @DefaultValue List<String> allow,
      @DefaultValue List<String> deny) {

    /** Copies the lists. */
    public Admission {
      allow = allow == null ? List.of() : List.copyOf(allow);
      deny = deny == null ? List.of() : List.copyOf(deny);
    }

    void check(List<InvalidConnmgrPropertiesException.Violation> violations, int highWater) {
      if (maxConnections != null && maxConnections <= highWater) {
        violations.add(violation("admission.max-connections", maxConnections,
            "must be above connmgr.high-water (" + highWater + "): the cap refuses connections "
                + "that rounds would otherwise trim"));
      }
      if (maxConnectionsPerPeer != null && maxConnectionsPerPeer <= 0) {
        violations.add(violation("admission.max-connections-per-peer", maxConnectionsPerPeer,
            "must be positive"));
      }
      if (maxInboundShare != null && !(maxInboundShare > 0 && maxInboundShare <= 1)) {
        violations.add(violation("admission.max-inbound-share", maxInboundShare,
            "must be in (0, 1]: it is a share of the cap"));
      }
      checkPeers(violations, "admission.allow", allow, true);
      checkPeers(violations, "admission.deny", deny, false);
      for (String peer : allow) {
        if (deny.contains(peer)) {
          violations.add(violation("admission.deny", peer,
              "names a peer that connmgr.admission.allow also names"));
        }
      }
    }

    void applyTo(ConnectionManager.Builder builder) {
      if (maxConnections != null) {
        builder.maxConnections(maxConnections);
      }
      if (maxConnectionsPerPeer != null) {
        builder.maxConnectionsPerPeer(maxConnectionsPerPeer);
      }
      if (maxInboundShare != null) {
        builder.maxInboundShare(maxInboundShare);
      }
      builder.allow(allow.stream().map(PeerId::of).toArray(PeerId[]::new));
      builder.deny(deny.stream().map(PeerId::of).toArray(PeerId[]::new));
    }
  }

  /**
   * Emergency rounds: under heap pressure a round runs at once, ignoring grace and silence
   * periods, never protection or vetoes.
   *
   * @param heapThreshold the fraction of the maximum heap, in (0, 1), whose crossing after a
   *     collection runs an emergency round; unset for none
   */
  public record Emergency(@Nullable Double heapThreshold) {

    void check(List<InvalidConnmgrPropertiesException.Violation> violations) {
      if (heapThreshold != null && !(heapThreshold > 0 && heapThreshold < 1)) {
        violations.add(violation("emergency.heap-threshold", heapThreshold,
            "must be in (0, 1): it is a fraction of the maximum heap"));
      }
    }
  }

  /**
   * The memory of recently evicted peers: one that reconnects within the window gets no grace
   * period, and while its backoff runs it is refused above high water (pinned, static, allowed and
   * protected peers never are).
   *
   * @param enabled whether to remember evicted peers at all
   * @param size most peers remembered, at most 1 000 000; when full, the one evicted longest ago
   *     is forgotten
   * @param window how long a peer is remembered after its last eviction, at most a day
   * @param backoff the reconnect backoff of a first eviction, doubled for each further eviction
   *     while remembered, never beyond the window
   * @param restoreState whether a returning peer gets back the tags and typed state it had when
   *     it was evicted
   */
  public record EvictionMemory(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("10000") int size,
      @DefaultValue("10m") Duration window,
      @DefaultValue("30s") Duration backoff,
      @DefaultValue("false") boolean restoreState) {

    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(30);

    void check(List<InvalidConnmgrPropertiesException.Violation> violations) {
      if (size < 0 || size > Bounds.EVICTION_MEMORY_SIZE_MAX) {
        violations.add(violation("eviction-memory.size", size,
            "must be in [0, " + Bounds.EVICTION_MEMORY_SIZE_MAX + "]"));
      }
      DurationRange.positiveUpTo(Bounds.EVICTION_MEMORY_WINDOW_MAX)
          .check(violations, "eviction-memory.window", window);
      DurationRange.positiveUpTo(Bounds.EVICTION_MEMORY_WINDOW_MAX)
          .check(violations, "eviction-memory.backoff", backoff);
      if (isPositive(window) && isPositive(backoff) && backoff.compareTo(window) > 0) {
        violations.add(violation("eviction-memory.backoff", backoff,
            "must not be longer than connmgr.eviction-memory.window (" + window + ")"));
      }
    }

    void applyTo(ConnectionManager.Builder builder) {
      builder.evictionMemorySize(enabled ? size : 0).evictionMemoryWindow(window)
          .reconnectBackoff(backoff).restoreStateOnReconnect(restoreState);
    }
  }

  private static void checkPeers(List<InvalidConnmgrPropertiesException.Violation> violations,
      String property, List<String> peers, boolean verifiedOnly) {
    for (int i = 0; i < peers.size(); i++) {
      String peer = peers.get(i);
      try {
        PeerId id = PeerId.of(peer);
        if (verifiedOnly && !id.isVerified()) {
          violations.add(violation(property + "[" + i + "]", peer, "is an unverified id (it"
              + " starts with " + PeerId.UNVERIFIED_PREFIX + "): a client could claim it, so it"
              + " can never be static or allowed"));
        }
      } catch (RuntimeException e) {
        violations.add(violation(property + "[" + i + "]", peer,
            "is not a valid peer id: " + e.getMessage()));
      }
    }
  }

  /**
   * Settings of one scorer.
   *
   * @param weight the weight the scorer's results are multiplied by, in [0, 1000]
   */
  public record Scorer(@DefaultValue("1.0") double weight) {}

  static InvalidConnmgrPropertiesException.Violation violation(String property,
      @Nullable Object value, String reason) {
    return new InvalidConnmgrPropertiesException.Violation(PREFIX + "." + property,
        String.valueOf(value), reason);
  }

  private static boolean isPositive(@Nullable Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }
}
