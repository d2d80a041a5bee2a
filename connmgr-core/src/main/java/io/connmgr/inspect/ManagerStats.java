package io.connmgr.inspect;

import io.connmgr.AdmissionLimit;
import io.connmgr.Trigger;
import io.connmgr.TrimReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The manager's one statistics view: its watermarks and timing settings, what it holds now, its
 * counters since it was built, and the reports of its last rounds; one immutable value, taken by
 * {@code ConnectionManager.stats()}. Cheap to take (no copy of peers or connections). Health
 * checks, metrics, endpoints and consoles read this rather than keeping buffers of their own.
 *
 * @param lowWater the count a round trims down to
 * @param highWater the count above which automatic rounds run
 * @param gracePeriod how long a new connection is no candidate
 * @param silencePeriod the least time between automatic rounds
 * @param connectionCount open connections, all of them
 * @param inbound open inbound connections
 * @param outbound open outbound connections
 * @param peerCount peers the manager tracks (temporary entries included)
 * @param streamCount open streams
 * @param protectedPeers peers protected under at least one tag
 * @param activeLeases leases neither released nor elapsed
 * @param rounds rounds run, by trigger; every trigger present (emergency rounds are those with
 *     {@link Trigger#EMERGENCY}: heap pressure or {@code emergencyTrim()})
 * @param evictions connections the manager closed (rounds, operators, admission, shutdown)
 * @param refusals connections refused, by limit; every limit present
 * @param vetoes candidates a veto kept open
 * @param leaseExtensions lease extensions granted by lease listeners when a round asked
 * @param scorerTimeouts scorer calls that ran past the scorer budget, all scorers together
 * @param scorerErrors scorer calls that threw, all scorers together
 * @param droppedListenerEvents listener events dropped because their listener was stuck or too slow
 *     (each listener has 4096 events waiting at most; only its own further events drop)
 * @param lastTrim when the last round started, if one ran (a round in flight included)
 * @param lastReport the last finished round's report, if one ran; kept even with {@code
 *     roundHistorySize(0)}
 * @param recentRounds the last rounds' reports, newest first, as many as the builder's {@code
 *     roundHistorySize}
 */
public record ManagerStats(
    int lowWater,
    int highWater,
    Duration gracePeriod,
    Duration silencePeriod,
    int connectionCount,
    int inbound,
    int outbound,
    int peerCount,
    int streamCount,
    int protectedPeers,
    int activeLeases,
    Map<Trigger, Long> rounds,
    long evictions,
    Map<AdmissionLimit, Long> refusals,
    long vetoes,
    long leaseExtensions,
    long scorerTimeouts,
    long scorerErrors,
    long droppedListenerEvents,
    Optional<Instant> lastTrim,
    Optional<TrimReport> lastReport,
    List<TrimReport> recentRounds) {

  /** Copies the collections; both maps hold every key. */
  public ManagerStats {
    rounds = complete(Trigger.class, rounds);
    refusals = complete(AdmissionLimit.class, refusals);
    recentRounds = List.copyOf(recentRounds);
  }

  private static <K extends Enum<K>> Map<K, Long> complete(Class<K> type, Map<K, Long> counts) {
    EnumMap<K, Long> all = new EnumMap<>(type);
    for (K key : type.getEnumConstants()) {
      all.put(key, counts.getOrDefault(key, 0L));
    }
    return Collections.unmodifiableMap(all);
  }
}
