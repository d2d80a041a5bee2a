package io.connmgr;

import java.time.Duration;
import java.util.Objects;

/** The usual {@link DecayFunction}s. */
public final class DecayFunctions {

  private static final DecayFunction NONE = (value, sinceBump) -> value;

  private DecayFunctions() {}

  /** The value never changes and the tag is never removed by decay: no decay pass runs at all. */
  public static DecayFunction none() {
    return NONE;
  }

  /** Returns whether {@code decay} is {@link #none()}, which needs no decay pass at all. */
  public static boolean isNone(DecayFunction decay) {
    return decay == NONE;
  }

  /** Subtracts {@code amount} each interval; the tag goes at 0 or below. */
  public static DecayFunction fixed(int amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException("fixed decay amount must be positive, was " + amount);
    }
    return (value, sinceBump) -> value - amount;
  }

  /**
   * Multiplies by {@code factor} each interval, rounding down; the tag goes when it reaches 0.
   *
   * @param factor in [0, 1)
   */
  public static DecayFunction linear(double factor) {
    if (!(factor >= 0 && factor < 1)) {
      throw new IllegalArgumentException("linear decay factor must be in [0, 1), was " + factor);
    }
    return (value, sinceBump) -> (int) Math.floor(value * factor);
  }

  /** Keeps the value, and removes the tag once it was not bumped for {@code idle}. */
  public static DecayFunction expireAfter(Duration idle) {
    Objects.requireNonNull(idle, "idle");
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("expireAfter idle must be positive, was " + idle);
    }
    return (value, sinceBump) -> sinceBump.compareTo(idle) >= 0 ? 0 : value;
  }
}
