package io.connmgr;

/**
 * Tells the manager when heap usage crossed a threshold, so it can run an emergency round. The
 * default watches the JVM's tenured pool after collections; tests and applications with their own
 * memory watcher can supply another.
 */
@FunctionalInterface
public interface MemoryPressureSource {

  /**
   * Starts watching.
   *
   * @param threshold the fraction of the maximum heap that counts as pressure, in (0, 1)
   * @param onPressure to call, from any thread, each time usage crosses the threshold
   * @return stops watching when closed
   */
  Registration watch(double threshold, Runnable onPressure);

  /**
   * The default: a new source that sets a collection-usage threshold on the heap pool that supports
   * one (the tenured or old generation) and reports usage after a collection above it. Several
   * managers in one JVM each apply their own threshold; the pool is set to the lowest. Its {@code
   * watch} throws {@link IllegalStateException} on a JVM with no such pool.
   */
  static MemoryPressureSource heap() {
    return new HeapThresholdSource();
  }
}
