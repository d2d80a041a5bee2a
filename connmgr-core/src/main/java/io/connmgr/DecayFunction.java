package io.connmgr;

import java.time.Duration;

/**
 * How a decaying tag's value changes at each interval. Should be a small pure function. An upkeep
 * pass calls it once per peer carrying the tag, on one of the manager's callback threads and
 * outside the peer's lock, and waits for it at most the callback budget: one that does not return
 * in time is not called again until it does (the peers it did not reach catch up then), one that
 * throws leaves the value as it was, and calls from it into {@code trim()}, {@code maintain()},
 * {@code assess()} or {@code emergencyTrim()} are refused. See {@link DecayFunctions} for the usual
 * ones, which need none of this.
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
   * asks when it finds several intervals elapsed since the last one, after a slow pass, a suspended
   * machine or a rare {@link ConnectionManager#maintain()}. It stops at 0 or less.
   *
   * <p>The default calls {@link #decay(int, Duration)} once per interval, but never more than 64
   * times, so a pass's work per peer stays bounded whatever the interval and the pause: past that
   * many intervals, its last call stands for all the rest and sees the time since the bump at the
   * last of them, so a rule on idle time still fires on time. The {@link DecayFunctions presets}
   * override this with closed forms, exact for any number of intervals; a custom function may too.
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
