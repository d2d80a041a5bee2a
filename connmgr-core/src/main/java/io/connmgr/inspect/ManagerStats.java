package io.connmgr.inspect;

import io.connmgr.AdmissionLimit;
import io.connmgr.Trigger;
import io.connmgr.TrimReport;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The manager's counters since it was built, and the reports of its last rounds: one immutable
 * value, taken by {@code ConnectionManager.stats()}. Health checks, endpoints and consoles read
 * this rather than keeping buffers of their own.
 *
 * @param rounds rounds run, by trigger; every trigger present
 * @param evictions connections the manager closed (rounds, operators, admission, shutdown)
 * @param refusals connections refused, by limit; every limit present
 * @param vetoes candidates a veto kept open
 * @param leaseExtensions lease extensions granted by lease listeners when a round asked
 * @param scorerTimeouts scorer calls that ran past the scorer budget, all scorers together
 * @param scorerErrors scorer calls that threw, all scorers together
 * @param droppedListenerEvents listener events dropped because their listener was stuck or too slow
 *     (each listener has 4096 events waiting at most; only its own further events drop)
 * @param recentRounds the last rounds' reports, newest first, as many as the builder's {@code
 *     roundHistorySize}
 */
public record ManagerStats(
    Map<Trigger, Long> rounds,
    long evictions,
    Map<AdmissionLimit, Long> refusals,
    long vetoes,
    long leaseExtensions,
    long scorerTimeouts,
    long scorerErrors,
    long droppedListenerEvents,
    List<TrimReport> recentRounds) {

  /** Copies the collections; both maps hold every key. */
  public ManagerStats {
    rounds = complete(Trigger.class, rounds);
    refusals = complete(AdmissionLimit.class, refusals);
    recentRounds = List.copyOf(recentRounds);
  }

  /** Rounds with {@link Trigger#EMERGENCY}: those heap pressure or {@code emergencyTrim()} ran. */
  public long emergencyRounds() {
    return rounds.getOrDefault(Trigger.EMERGENCY, 0L);
  }

  /** Connections refused, all limits together. */
  public long totalRefusals() {
    return refusals.values().stream().mapToLong(Long::longValue).sum();
  }

  private static <K extends Enum<K>> Map<K, Long> complete(Class<K> type, Map<K, Long> counts) {
    EnumMap<K, Long> all = new EnumMap<>(type);
    for (K key : type.getEnumConstants()) {
      all.put(key, counts.getOrDefault(key, 0L));
    }
    return Collections.unmodifiableMap(all);
  }
}
