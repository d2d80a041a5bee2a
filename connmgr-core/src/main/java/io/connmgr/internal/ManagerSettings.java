package io.connmgr.internal;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;

/**
 * The validated settings the builder hands the engine.
 *
 * @param lowWater count a round trims down to
 * @param highWater count above which automatic rounds run
 * @param gracePeriod how long a new connection is no candidate
 * @param silencePeriod least time between automatic rounds
 * @param clock the source of time
 * @param maintenanceInterval period of background upkeep; zero for none
 * @param historySize eviction records kept
 * @param maxLease cap on one lease's length and on each extension
 * @param maxLeaseLifetime cap on a lease's total life, extensions included
 * @param scorerBudget time one scorer call may take
 * @param callbackBudget time a round waits on one closer, veto or lease listener
 * @param scorerWeights weight per scorer name; 1.0 when absent
 * @param admission the hard limits checked when a connection opens
 * @param emergencyHeapThreshold heap fraction that starts an emergency round; 0 for off
 * @param memoryPressure what reports crossing that threshold
 * @param closeOnShutdown whether {@code close()} closes every connection
 * @param evictionMemory how recently evicted peers are remembered
 * @param roundHistorySize round reports the statistics view keeps
 */
public record ManagerSettings(
    int lowWater,
    int highWater,
    Duration gracePeriod,
    Duration silencePeriod,
    InstantSource clock,
    Duration maintenanceInterval,
    int historySize,
    Duration maxLease,
    Duration maxLeaseLifetime,
    Duration scorerBudget,
    Duration callbackBudget,
    Map<String, Double> scorerWeights,
    AdmissionSettings admission,
    double emergencyHeapThreshold,
    io.connmgr.MemoryPressureSource memoryPressure,
    boolean closeOnShutdown,
    EvictionMemorySettings evictionMemory,
    int roundHistorySize) {

  /** Freezes the weights. */
  public ManagerSettings {
    scorerWeights = Map.copyOf(scorerWeights);
  }
}
