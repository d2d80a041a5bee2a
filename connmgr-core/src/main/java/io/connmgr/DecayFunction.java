package io.connmgr;

import java.time.Duration;

/**
 * How a decaying tag's value changes at each interval. Must be a small pure function: it runs on
 * the thread of the upkeep pass, outside the peer's lock (so a slow one never blocks that peer's
 * tags), once per peer carrying the tag. See {@link DecayFunctions} for the usual ones.
 */
@FunctionalInterface
public interface DecayFunction {

  /**
   * Returns the value after one more interval; 0 or less removes the tag from the peer.
   *
   * @param value the current value
   * @param sinceBump how long ago the value was last bumped (or set)
   */
  int decay(int value, Duration sinceBump);

  /**
   * Returns the value after {@code intervals} more intervals (at least one): what an upkeep pass
   * asks when it finds several intervals elapsed since the last one, after a slow pass, a
   * suspended machine or a rare {@link ConnectionManager#maintain()}. It stops at 0 or less.
   *
   * <p>The default calls {@link #decay(int, Duration)} once per interval, but never more than
   * {@link Bounds#DECAY_CATCH_UP_CALLS} times, so a pass's work per peer stays bounded whatever
   * the interval and the pause: past that many intervals, its last call stands for all the rest
   * and sees the time since the bump at the last of them, so a rule on idle time still fires on
   * time. The {@link DecayFunctions presets} override this with closed forms, exact for any
   * number of intervals; a custom function may too.
   *
   * @param value the current value
   * @param sinceBump how long after the last bump the first of these intervals ended
   * @param interval the tag's interval
   * @param intervals how many intervals ended since the last pass (or the last bump)
   */
  default int decay(int value, Duration sinceBump, Duration interval, long intervals) {
    long calls = Math.min(intervals, Bounds.DECAY_CATCH_UP_CALLS);
    int v = value;
    for (long call = 0; call < calls && v > 0; call++) {
      long lastOfThem = call == calls - 1 ? intervals - 1 : call;
      v = decay(v, sinceBump.plus(interval.multipliedBy(lastOfThem)));
    }
    return v;
  }
}
