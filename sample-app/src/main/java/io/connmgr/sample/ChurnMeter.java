package io.connmgr.sample;

import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import io.connmgr.inspect.ConnectionScore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Measures churn from the manager's evictions: how many there are, how many took a peer evicted
 * less than a minute before (the same peers cycling through), and how many took a peer whose score
 * was in the top half of the node's connections (valuable peers lost). A thread ranks the open
 * connections once a second with an assessment (which closes nothing), and each eviction is placed
 * against the latest ranking. Operator and shutdown closes judge no score and are left out.
 */
@Component
public class ChurnMeter implements ConnectionManagerListener, SmartLifecycle {

  /** An eviction this soon after the peer's previous one counts as a quick return. */
  public static final Duration QUICK_RETURN = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(ChurnMeter.class);

  private final ConnectionManager manager;
  private final Map<PeerId, Instant> lastEvicted = new ConcurrentHashMap<>();
  private final AtomicLong evictions = new AtomicLong();
  private final AtomicLong evictedWithinAMinute = new AtomicLong();
  private final AtomicLong topHalf = new AtomicLong();

  /** The scores of the open connections at the last ranking, ascending. */
  private volatile double[] ranking = new double[0];

  private @Nullable ScheduledExecutorService ranker;

  /** A meter of {@code manager}'s evictions; the starter registers it as a listener. */
  public ChurnMeter(ConnectionManager manager) {
    this.manager = manager;
  }

  @Override
  public void onEviction(EvictionRecord record) {
    if (record.trigger() == Trigger.OPERATOR || record.trigger() == Trigger.SHUTDOWN) {
      return;
    }
    evictions.incrementAndGet();
    Instant before = lastEvicted.put(record.peer(), record.at());
    if (before != null && Duration.between(before, record.at()).compareTo(QUICK_RETURN) < 0) {
      evictedWithinAMinute.incrementAndGet();
    }
    if (inTopHalf(record.score(), ranking)) {
      topHalf.incrementAndGet();
    }
  }

  /** Whether {@code score} is above the scores of at least half of {@code ranked}. */
  static boolean inTopHalf(double score, double[] ranked) {
    if (ranked.length == 0) {
      return false;
    }
    int at = Arrays.binarySearch(ranked, score);
    int below = at < 0 ? -at - 1 : at;
    while (below > 0 && ranked[below - 1] >= score) {
      below--; // binarySearch finds any of equal scores: count only those strictly below
    }
    return 2L * below >= ranked.length;
  }

  /** The figures so far. */
  public Figures figures() {
    return new Figures(evictions.get(), evictedWithinAMinute.get(), topHalf.get());
  }

  private void rank() {
    try {
      if (manager.isClosed()) {
        return;
      }
      ranking =
          manager.inspect().assess().connections().stream()
              .mapToDouble(ConnectionScore::score)
              .sorted()
              .toArray();
      Instant forgetBefore = manager.inspect().now().minus(QUICK_RETURN);
      lastEvicted.values().removeIf(at -> at.isBefore(forgetBefore));
    } catch (RuntimeException e) {
      LOG.debug("churn ranking skipped: {}", e.toString());
    }
  }

  @Override
  public synchronized void start() {
    if (ranker == null) {
      CustomizableThreadFactory daemon = new CustomizableThreadFactory("churn-meter-");
      daemon.setDaemon(true);
      ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(daemon);
      thread.scheduleWithFixedDelay(this::rank, 0, 1, TimeUnit.SECONDS);
      ranker = thread;
    }
  }

  @Override
  public synchronized void stop() {
    ScheduledExecutorService thread = ranker;
    if (thread != null) {
      thread.shutdownNow();
      ranker = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return ranker != null;
  }

  /**
   * Churn counts since start-up.
   *
   * @param evictions evictions by rounds and admission
   * @param evictedWithinAMinute of those, of a peer evicted less than a minute before
   * @param topHalf of those, of a peer whose score was above at least half of the connections
   */
  public record Figures(long evictions, long evictedWithinAMinute, long topHalf) {

    /** The counts since {@code earlier}. */
    public Figures since(Figures earlier) {
      return new Figures(
          evictions - earlier.evictions,
          evictedWithinAMinute - earlier.evictedWithinAMinute,
          topHalf - earlier.topHalf);
    }
  }
}
