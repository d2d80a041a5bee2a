package io.connmgr.internal;

/**
 * Hands out candidate indices from the least valuable up, sorting only as far as the round reads.
 *
 * <p>Each candidate has a score and a tie-break key (lower goes first). When the reader needs more,
 * the next batch of lowest candidates is selected from the rest in linear expected time
 * (quickselect) and only that batch is sorted, so closing k of n candidates costs about n + k log k
 * comparisons rather than n log n. The candidates' keys are copied side by side into one primitive
 * array (score, tie-break key, index) that the selection moves in place, so its passes read memory
 * in order instead of chasing an index per comparison; no lock, no boxing.
 */
final class CandidateOrder {

  private static final int INSERTION_SORT_MAX = 24;

  /**
   * Candidates copied per call of {@link #copy}: a loop that runs once per order would stay in the
   * interpreter for the first tens of rounds (a trim runs a few times a minute, so for most of a
   * service's life), where a method called per batch is compiled within a few rounds.
   */
  private static final int COPY_BATCH = 64;

  /** Longs per candidate in {@link #items}: its score as an ordered long, tie key, index. */
  private static final int STRIDE = 3;

  private final long[] items;
  private final int n;
  private int sorted;
  private int cursor;
  private long seed = 0x9E3779B97F4A7C15L;

  /**
   * Orders {@code n} candidates.
   *
   * @param score each candidate's score; lower is closed first
   * @param tie each candidate's tie-break key for equal scores; lower is closed first
   */
  CandidateOrder(double[] score, long[] tie, int n) {
    this.n = n;
    this.items = new long[n * STRIDE];
    for (int from = 0; from < n; from += COPY_BATCH) {
      copy(score, tie, from, Math.min(n, from + COPY_BATCH));
    }
  }

  private void copy(double[] score, long[] tie, int from, int to) {
    for (int i = from; i < to; i++) {
      items[i * STRIDE] = ordered(score[i]);
      items[i * STRIDE + 1] = tie[i];
      items[i * STRIDE + 2] = i;
    }
  }

  /**
   * A long that compares as the double does ({@code -0.0} as {@code 0.0}): the sign bit flips the
   * order of the other bits for negative numbers.
   */
  private static long ordered(double score) {
    long bits = Double.doubleToRawLongBits(score + 0.0);
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  /**
   * The tie-break key: no open stream, then a duplicate connection, then inbound, then youngest.
   */
  static long tieKey(
      boolean hasStreams, boolean onlyConnectionOfPeer, boolean outbound, long ageNanos) {
    long key = Math.max(0, Math.min(ageNanos, (1L << 60) - 1));
    if (hasStreams) {
      key |= 1L << 62;
    }
    if (onlyConnectionOfPeer) {
      key |= 1L << 61;
    }
    if (outbound) {
      key |= 1L << 60;
    }
    return key;
  }

  boolean hasNext() {
    return cursor < n;
  }

  /**
   * The next candidate index, in ascending order.
   *
   * @param stillNeeded how many more the reader expects to take; sizes the next sorted batch
   */
  int next(int stillNeeded) {
    if (cursor == sorted) {
      // what is still needed, plus a slack for the few a lease or a veto will spare
      int batch = (int) Math.min(n - sorted, (long) stillNeeded + Math.max(64, stillNeeded / 8));
      if (batch < n - sorted) {
        select(sorted, n - 1, sorted + batch - 1);
      }
      sort(sorted, sorted + batch - 1);
      sorted += batch;
    }
    return (int) items[cursor++ * STRIDE + 2];
  }

  /**
   * The candidate index {@code ahead} places after the next one, if it is sorted already (a sorted
   * batch holds what the reader said it still needs); -1 otherwise. Changes nothing.
   */
  int peek(int ahead) {
    int at = cursor + ahead;
    return at < sorted ? (int) items[at * STRIDE + 2] : -1;
  }

  /** Sorts everything at once; the baseline the benchmarks compare the selection against. */
  void sortAll() {
    sort(0, n - 1);
    sorted = n;
  }

  /** Whether the candidate at position {@code a} goes before the keys given. */
  private boolean less(int a, long score, long tie) {
    long sa = items[a * STRIDE];
    return sa != score ? sa < score : items[a * STRIDE + 1] < tie;
  }

  /** Whether the keys given go before the candidate at position {@code a}. */
  private boolean greater(int a, long score, long tie) {
    long sa = items[a * STRIDE];
    return sa != score ? sa > score : items[a * STRIDE + 1] > tie;
  }

  /** Rearranges positions lo..hi so position k holds its sorted candidate, smaller ones before. */
  private void select(int lo, int hi, int k) {
    while (hi > lo) {
      int j = split(lo, hi);
      if (k <= j) {
        hi = j;
      } else {
        lo = j + 1;
      }
    }
  }

  private void sort(int lo, int hi) {
    while (hi - lo > INSERTION_SORT_MAX) {
      int j = split(lo, hi);
      if (j - lo < hi - j) {
        sort(lo, j);
        lo = j + 1;
      } else {
        sort(j + 1, hi);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      long score = items[i * STRIDE];
      long tie = items[i * STRIDE + 1];
      long index = items[i * STRIDE + 2];
      int j = i - 1;
      for (; j >= lo && greater(j, score, tie); j--) {
        int from = j * STRIDE; // three moves, not a System.arraycopy call per step
        items[from + STRIDE] = items[from];
        items[from + STRIDE + 1] = items[from + 1];
        items[from + STRIDE + 2] = items[from + 2];
      }
      items[(j + 1) * STRIDE] = score;
      items[(j + 1) * STRIDE + 1] = tie;
      items[(j + 1) * STRIDE + 2] = index;
    }
  }

  /**
   * Hoare's partition of positions lo..hi (hi > lo) around a random pivot: returns j, lo <= j < hi,
   * with no candidate at lo..j going after any at j+1..hi. It scans from both ends and swaps only
   * pairs that are on the wrong sides (about a sixth of the candidates, where a three-way partition
   * swaps nearly all; W1's selection at 100 000 took a quarter less time), and it splits runs of
   * equal keys in the middle, so they cost no more than distinct keys do.
   */
  private int split(int lo, int hi) {
    swap(lo, lo + (int) Long.remainderUnsigned(nextRandom(), hi - lo + 1));
    long score = items[lo * STRIDE];
    long tie = items[lo * STRIDE + 1];
    int i = lo - 1;
    int j = hi + 1;
    for (; ; ) {
      do {
        i++;
      } while (less(i, score, tie));
      do {
        j--;
      } while (greater(j, score, tie));
      if (i >= j) {
        return j;
      }
      swap(i, j);
    }
  }

  private void swap(int i, int j) {
    int a = i * STRIDE;
    int b = j * STRIDE;
    for (int k = 0; k < STRIDE; k++) {
      long t = items[a + k];
      items[a + k] = items[b + k];
      items[b + k] = t;
    }
  }

  private long nextRandom() {
    long z = (seed += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
