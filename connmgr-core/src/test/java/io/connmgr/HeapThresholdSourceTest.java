package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two managers in one JVM each apply their own heap threshold, though the JVM has one threshold per
 * pool: real collections, real notifications.
 */
class HeapThresholdSourceTest {

  /** Something that lives through collections, so the old generation is never empty. */
  private static final byte[][] SURVIVOR = new byte[64][];

  static {
    for (int i = 0; i < SURVIVOR.length; i++) {
      SURVIVOR[i] = new byte[16 * 1024];
    }
  }

  @Test
  void eachWatcherIsToldOnlyOfItsOwnThreshold() {
    AtomicInteger low = new AtomicInteger();
    AtomicInteger high = new AtomicInteger();
    Registration lowWatch = new HeapThresholdSource().watch(0.000_001, low::incrementAndGet);
    Registration highWatch = new HeapThresholdSource().watch(0.99, high::incrementAndGet);
    try {
      assertThat(SURVIVOR.length).isEqualTo(64);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                System.gc();
                return low.get() > 0;
              });
      assertThat(high).as("usage after collection is far below 99%% of the heap").hasValue(0);
    } finally {
      highWatch.close();
      lowWatch.close();
    }
  }

  @Test
  void thePoolHoldsTheLowestThresholdWhicheverWatcherCameLast() {
    MemoryPoolMXBean pool = tenured();
    long max =
        pool.getUsage().getMax() > 0 ? pool.getUsage().getMax() : Runtime.getRuntime().maxMemory();
    Registration half = new HeapThresholdSource().watch(0.5, () -> {});
    Registration most = new HeapThresholdSource().watch(0.9, () -> {});
    try {
      assertThat(pool.getCollectionUsageThreshold()).isEqualTo((long) (max * 0.5));
      half.close();
      assertThat(pool.getCollectionUsageThreshold()).isEqualTo((long) (max * 0.9));
    } finally {
      most.close();
      half.close();
    }
    assertThat(pool.getCollectionUsageThreshold()).as("nobody watches: off").isZero();
  }

  private static MemoryPoolMXBean tenured() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(
            p ->
                p.getType() == MemoryType.HEAP
                    && p.isCollectionUsageThresholdSupported()
                    && p.isUsageThresholdSupported())
        .reduce((first, second) -> second)
        .orElseThrow();
  }
}
