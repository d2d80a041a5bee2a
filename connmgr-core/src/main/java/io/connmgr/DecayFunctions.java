package io.connmgr;

import java.time.Duration;
import java.util.Objects;

/**
 * The usual {@link DecayFunction}s. Each catches up any number of elapsed intervals in constant
 * time, so a long pause in upkeep costs one step per peer.
 */
public final class DecayFunctions {

  private static final DecayFunction NONE =
      new DecayFunction() {
        @Override
        public int decay(int value, Duration sinceBump) {
          return value;
        }

        @Override
        public int decay(int value, Duration sinceBump, Duration interval, long intervals) {
          return value;
        }
      };

  private DecayFunctions() {}

  /** The value never changes and the tag is never removed by decay: no decay pass runs at all. */
  public static DecayFunction none() {
    return NONE;
  }

  /** Subtracts {@code amount} each interval; the tag goes at 0 or below. */
  public static DecayFunction fixed(int amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException("fixed decay amount must be positive, was " + amount);
    }
    return new Fixed(amount);
  }

  /**
   * Multiplies by {@code factor} each interval, rounding down; the tag goes when it reaches 0. When
   * one upkeep pass catches up more than 64 intervals, the intervals past that many are applied as
   * one multiplication by factor<sup>n</sup>, rounded down once.
   *
   * @param factor in [0, 1)
   */
  public static DecayFunction linear(double factor) {
    if (!(factor >= 0 && factor < 1)) {
      throw new IllegalArgumentException("linear decay factor must be in [0, 1), was " + factor);
    }
    return new Linear(factor);
  }

  /** Keeps the value, and removes the tag once it was not bumped for {@code idle}. */
  public static DecayFunction expireAfter(Duration idle) {
    Objects.requireNonNull(idle, "idle");
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("expireAfter idle must be positive, was " + idle);
    }
    return new ExpireAfter(idle);
  }

  /** {@link #fixed}: n intervals subtract n times the amount, stopping at the first value <= 0. */
  private record Fixed(int amount) implements DecayFunction {
    @Override
    public int decay(int value, Duration sinceBump) {
      return value - amount;
    }

    @Override
    public int decay(int value, Duration sinceBump, Duration interval, long intervals) {
      if (value <= 0) {
        return value;
      }
      long toZero = ((long) value + amount - 1) / amount; // the steps that reach 0 or below
      return (int) (value - Math.min(intervals, toZero) * amount);
    }
  }

  /** {@link #linear}: exact steps for the first intervals, then one power for the rest. */
  private record Linear(double factor) implements DecayFunction {
    @Override
    public int decay(int value, Duration sinceBump) {
      return (int) Math.floor(value * factor);
    }

    @Override
    public int decay(int value, Duration sinceBump, Duration interval, long intervals) {
      long steps = Math.min(intervals, Bounds.DECAY_CATCH_UP_CALLS);
      int v = value;
      for (long i = 0; i < steps && v > 0; i++) {
        v = decay(v, sinceBump);
      }
      long rest = intervals - steps;
      return rest > 0 && v > 0 ? (int) Math.floor(v * Math.pow(factor, rest)) : v;
    }
  }

  /** {@link #expireAfter}: the value stays until the last interval ends idle long enough. */
  private record ExpireAfter(Duration idle) implements DecayFunction {
    @Override
    public int decay(int value, Duration sinceBump) {
      return sinceBump.compareTo(idle) >= 0 ? 0 : value;
    }

    @Override
    public int decay(int value, Duration sinceBump, Duration interval, long intervals) {
      return decay(value, sinceBump.plus(interval.multipliedBy(intervals - 1)));
    }
  }
}
