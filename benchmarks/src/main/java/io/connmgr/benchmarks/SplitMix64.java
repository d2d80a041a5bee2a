package io.connmgr.benchmarks;

/**
 * The fixture's PRNG, bit for bit as issue 7 gives it, so every workload draws the same numbers.
 */
public final class SplitMix64 {

  private long state;

  public SplitMix64(long seed) {
    this.state = seed;
  }

  public long next() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A number in [0, n), as {@code next()} taken unsigned modulo n. */
  public int intn(int n) {
    return (int) Long.remainderUnsigned(next(), n);
  }
}
