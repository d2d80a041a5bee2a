package io.connmgr;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Objects;
import java.util.Optional;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * The default {@link MemoryPressureSource}: sets a collection-usage threshold on the heap pool that
 * supports one (the tenured or old generation) and listens for the JVM's notification that usage
 * after a collection exceeded it.
 */
public final class HeapThresholdSource implements MemoryPressureSource {

  /** Whether this JVM has a heap pool with a collection-usage threshold. */
  public static boolean isSupported() {
    return tenuredPool().isPresent();
  }

  @Override
  public Registration watch(double threshold, Runnable onPressure) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("heap threshold must be in (0, 1), was " + threshold);
    }
    Objects.requireNonNull(onPressure, "onPressure");
    MemoryPoolMXBean pool = tenuredPool().orElseThrow(() -> new IllegalStateException(
        "no heap memory pool of this JVM supports collection usage thresholds"));
    long max = pool.getUsage().getMax() > 0
        ? pool.getUsage().getMax()
        : Runtime.getRuntime().maxMemory();
    pool.setCollectionUsageThreshold((long) (max * threshold));
    NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
    NotificationListener listener = (notification, handback) -> {
      if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(
          notification.getType())) {
        onPressure.run();
      }
    };
    emitter.addNotificationListener(listener, null, null);
    return () -> {
      try {
        emitter.removeNotificationListener(listener);
      } catch (javax.management.ListenerNotFoundException e) {
        // already removed: closing is idempotent
      }
    };
  }

  private static Optional<MemoryPoolMXBean> tenuredPool() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()
            && p.isUsageThresholdSupported())
        .reduce((first, second) -> second);
  }

  @Override
  public String toString() {
    return "HeapThresholdSource" + tenuredPool().map(p -> "[" + p.getName() + "]").orElse("[]");
  }
}
