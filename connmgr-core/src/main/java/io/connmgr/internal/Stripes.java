package io.connmgr.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Stripes for state that threads change all the time and at once (free slots, connection ids): each
 * thread takes a stripe in turn, and each stripe's words sit on cache lines of their own in a
 * padded array, so that threads connecting and disconnecting at once do not fight over one cache
 * line. Twice as many stripes as processors, at most 64: up to that many threads never share one.
 */
final class Stripes {

  /** How many stripes there are: a power of two. */
  static final int COUNT = count(Runtime.getRuntime().availableProcessors());

  /** Longs from one stripe's first word to the next's: 128 bytes, two cache lines. */
  static final int PAD = 16;

  private static final AtomicInteger TURNS = new AtomicInteger();

  private static final ThreadLocal<Integer> STRIPE =
      ThreadLocal.withInitial(() -> TURNS.getAndIncrement() & (COUNT - 1));

  private Stripes() {}

  /** The calling thread's stripe. */
  static int current() {
    return STRIPE.get();
  }

  /**
   * A zeroed array with {@link #PAD} longs per stripe, padded before the first and after the last.
   */
  static AtomicLongArray padded() {
    return new AtomicLongArray((COUNT + 2) * PAD);
  }

  /** Where the stripe's first word sits in a {@link #padded()} array. */
  static int base(int stripe) {
    return (stripe + 1) * PAD;
  }

  private static int count(int processors) {
    return Math.min(64, Integer.highestOneBit(Math.max(1, 2 * processors - 1)) << 1);
  }
}
