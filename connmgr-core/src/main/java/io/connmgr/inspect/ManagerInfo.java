package io.connmgr.inspect;

import io.connmgr.TrimReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The manager's settings and counts at one instant; cheap to take.
 *
 * @param lowWater the count a round trims down to
 * @param highWater the count above which automatic rounds run
 * @param gracePeriod how long a new connection is no candidate
 * @param silencePeriod the least time between automatic rounds
 * @param connectionCount open connections, all of them
 * @param lastTrim when the last round started, if one ran
 * @param inbound open inbound connections
 * @param outbound open outbound connections
 * @param peerCount peers the manager tracks (temporary entries included)
 * @param streamCount open streams
 * @param protectedPeers peers protected under at least one tag
 * @param activeLeases leases neither released nor elapsed
 * @param lastReport the last round's report, if one ran
 */
public record ManagerInfo(
    int lowWater,
    int highWater,
    Duration gracePeriod,
    Duration silencePeriod,
    int connectionCount,
    Optional<Instant> lastTrim,
    int inbound,
    int outbound,
    int peerCount,
    int streamCount,
    int protectedPeers,
    int activeLeases,
    Optional<TrimReport> lastReport) {}
