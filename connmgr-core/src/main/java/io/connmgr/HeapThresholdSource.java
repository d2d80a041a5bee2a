package io.connmgr;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The default {@link MemoryPressureSource} ({@link MemoryPressureSource#heap()}): sets a
 * collection-usage threshold on the heap pool that supports one (the tenured or old generation) and
 * listens for the JVM's notification that usage after a collection exceeded it.
 *
 * <p>The pool has one threshold for the whole JVM, yet every manager has its own. So the pool is
 * set to the lowest threshold any watcher asked for, and each watcher is told of pressure only when
 * usage after the collection reached its own threshold: two managers in one JVM each apply theirs,
 * whichever started last. The pool's threshold follows as watchers come and go.
 */
final class HeapThresholdSource implements MemoryPressureSource {

  /** Each watching listener with the pool usage, in bytes, that is pressure to it. */
  private static final Map<NotificationListener, Long> WATCHERS = new ConcurrentHashMap<>();

  /** Whether this JVM has a heap pool with a collection-usage threshold. */
  static boolean isSupported() {
    return tenuredPool().isPresent();
  }

  @Override
  public Registration watch(double threshold, Runnable onPressure) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("heap threshold must be in (0, 1), was " + threshold);
    }
    Objects.requireNonNull(onPressure, "onPressure");
    MemoryPoolMXBean pool =
        tenuredPool()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no heap memory pool of this JVM supports collection usage thresholds"));
    long max =
        pool.getUsage().getMax() > 0 ? pool.getUsage().getMax() : Runtime.getRuntime().maxMemory();
    long bytes = Math.max(1, (long) (max * threshold));
    NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
    NotificationListener listener =
        (notification, handback) -> {
          if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(
                  notification.getType())
              && usedAfterCollection(notification.getUserData()) >= bytes) {
            onPressure.run();
          }
        };
    WATCHERS.put(listener, bytes);
    applyLowest(pool);
    emitter.addNotificationListener(listener, null, null);
    return () -> {
      try {
        emitter.removeNotificationListener(listener);
      } catch (javax.management.ListenerNotFoundException e) {
        // already removed: closing is idempotent
      }
      if (WATCHERS.remove(listener) != null) {
        applyLowest(pool);
      }
    };
  }

  private static synchronized void applyLowest(MemoryPoolMXBean pool) {
    pool.setCollectionUsageThreshold(
        WATCHERS.values().stream().mapToLong(Long::longValue).min().orElse(0L));
  }

  private static long usedAfterCollection(Object userData) {
    return userData instanceof CompositeData data
        ? MemoryNotificationInfo.from(data).getUsage().getUsed()
        : Long.MAX_VALUE; // not the JVM's notification shape: let every watcher see it
  }

  private static Optional<MemoryPoolMXBean> tenuredPool() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(
            p ->
                p.getType() == MemoryType.HEAP
                    && p.isCollectionUsageThresholdSupported()
                    && p.isUsageThresholdSupported())
        .reduce((first, second) -> second);
  }

  @Override
  public String toString() {
    return "HeapThresholdSource" + tenuredPool().map(p -> "[" + p.getName() + "]").orElse("[]");
  }
}
