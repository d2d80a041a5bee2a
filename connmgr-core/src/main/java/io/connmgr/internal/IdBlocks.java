package io.connmgr.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Unique ids from 1 up, handed out without a counter that every thread writes: each {@link Stripes
 * stripe} takes a block of {@link #BLOCK} ids from the shared count and hands them out in order.
 * One thread's ids increase; two threads' interleave by block. A single counter cost every connect
 * a cache line the other connecting threads had just written.
 */
final class IdBlocks {

  static final int BLOCK = 64;

  /** Blocks handed to stripes so far. */
  private final AtomicLong blocks = new AtomicLong();

  /** Each stripe's last id handed out, at its base; 0 or a block's last: take a new block. */
  private final AtomicLongArray last = Stripes.padded();

  /** The next id. */
  long next() {
    int at = Stripes.base(Stripes.current());
    for (; ; ) {
      long previous = last.get(at);
      long id = previous % BLOCK == 0 ? blocks.getAndIncrement() * BLOCK + 1 : previous + 1;
      if (last.compareAndSet(at, previous, id)) {
        return id;
      }
    }
  }
}
