package io.connmgr;

import java.time.Duration;

/**
 * How a decaying tag's value changes at each interval. Must be a small pure function: it runs
 * under the peer's lock. See {@link DecayFunctions} for the usual ones.
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
}
