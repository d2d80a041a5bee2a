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
}
