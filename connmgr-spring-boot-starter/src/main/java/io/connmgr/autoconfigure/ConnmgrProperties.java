package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code connmgr.*} settings of the auto-configured {@link ConnectionManager}: a plain mapping
 * onto its builder ({@link PropertiesMapping} applies it). An unset value means the builder's
 * default ({@link Setting}); the builder checks every value, and {@link
 * ConnmgrPropertiesFailureAnalyzer} reports what it refuses under these property names.
 *
 * @param enabled whether to auto-configure a connection manager at all
 * @param lowWater the number of open connections a trim round closes down to; at most high water
 * @param highWater the number of open connections above which an automatic round runs
 * @param gracePeriod how long a new connection is no candidate for closing; 0 to 1d
 * @param silencePeriod the least time between two automatic rounds; 0 to 1d
 * @param maintenanceInterval how often background upkeep runs (decay, expiry of temporary entries,
 *     automatic rounds): 10ms to 1h, or 0 to turn background upkeep off, leaving explicit trims
 *     only
 * @param maxLease the cap on one lease's length and on each extension; above 0, up to 1d
 * @param maxLeaseLifetime the cap on a lease's whole life, extensions included; at least max lease,
 *     up to 7d
 * @param scorerBudget the time one scorer call may take before a round stops waiting for it; above
 *     0, up to 1m
 * @param callbackBudget how long a round waits for one closer, veto or lease listener call before
 *     it stops there and returns, naming it; above 0, up to 10m
 * @param scorers per scorer, by the bean name it is registered under: its weight
 * @param staticPeers peer ids pinned (protected under {@code connmgr:pinned}) at start-up
 * @param historySize how many eviction records to keep
 * @param closeOnShutdown whether to close every open connection, with a close status saying why,
 *     when the application shuts down; otherwise shutdown closes nothing
 * @param admission hard limits checked when a connection opens, before it counts
 * @param emergency rounds under heap pressure
 * @param pinsFile a file that keeps operator pins across restarts; none when unset
 * @param evictionMemory how the manager remembers the peers it evicted, against churn
 */
@ConfigurationProperties("connmgr")
public record ConnmgrProperties(
    @DefaultValue("true") boolean enabled,
    @Nullable Integer lowWater,
    @Nullable Integer highWater,
    @Nullable Duration gracePeriod,
    @Nullable Duration silencePeriod,
    @Nullable Duration maintenanceInterval,
    @Nullable Duration maxLease,
    @Nullable Duration maxLeaseLifetime,
    @Nullable Duration scorerBudget,
    @Nullable Duration callbackBudget,
    @DefaultValue Map<String, Scorer> scorers,
    @DefaultValue List<String> staticPeers,
    @Nullable Integer historySize,
    @Nullable Boolean closeOnShutdown,
    @DefaultValue Admission admission,
    @DefaultValue Emergency emergency,
    @Nullable Path pinsFile,
    @DefaultValue EvictionMemory evictionMemory) {

  /** The property prefix. */
  public static final String PREFIX = "connmgr";

  /** Copies the collections; fills in empty groups. */
  public ConnmgrProperties {
    scorers =
        scorers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scorers));
    staticPeers = staticPeers == null ? List.of() : List.copyOf(staticPeers);
    admission =
        admission == null ? new Admission(null, null, null, List.of(), List.of()) : admission;
    emergency = emergency == null ? new Emergency(null) : emergency;
    evictionMemory =
        evictionMemory == null ? new EvictionMemory(true, null, null, null, null) : evictionMemory;
  }

  /**
   * The static peers as peer ids.
   *
   * @throws IllegalArgumentException if one is not a valid id (start-up reports it first)
   */
  public List<PeerId> staticPeerIds() {
    return staticPeers.stream().map(PeerId::of).toList();
  }

  /**
   * Hard limits checked when a connection opens, before it counts; pinned and allowed peers bypass
   * the caps. Unset limits are off.
   *
   * @param maxConnections a cap on open connections, above high water; at the cap a newcomer
   *     displaces a lower-scoring evictable connection or is refused
   * @param maxConnectionsPerPeer a cap on one peer's connections
   * @param maxInboundShare the share of the cap (or of high water, without one) inbound connections
   *     may take, in (0, 1]
   * @param allow peer ids that bypass the caps; verified ids only
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
  }

  /**
   * Emergency rounds: under heap pressure a round runs at once, ignoring grace and silence periods,
   * never protection or vetoes.
   *
   * @param heapThreshold the fraction of the maximum heap, in (0, 1), whose crossing after a
   *     collection runs an emergency round; unset for none
   */
  public record Emergency(@Nullable Double heapThreshold) {}

  /**
   * The memory of recently evicted peers: one that reconnects within the window gets no grace
   * period, and while its backoff runs it is refused above high water (pinned, static, allowed and
   * protected peers never are).
   *
   * @param enabled whether to remember evicted peers at all; false sets the size to 0
   * @param size most peers remembered, at most 1 000 000; when full, the one evicted longest ago is
   *     forgotten
   * @param window how long a peer is remembered after its last eviction, at most a day
   * @param backoff the reconnect backoff of a first eviction, doubled for each further eviction
   *     while remembered, never beyond the window
   * @param restoreState whether a returning peer gets back the tags and typed state it had when it
   *     was evicted
   */
  public record EvictionMemory(
      @DefaultValue("true") boolean enabled,
      @Nullable Integer size,
      @Nullable Duration window,
      @Nullable Duration backoff,
      @Nullable Boolean restoreState) {}

  /**
   * Settings of one scorer.
   *
   * @param weight the weight the scorer's results are multiplied by, in [0, 1000]
   */
  public record Scorer(@Nullable Double weight) {}
}
