package io.connmgr.internal;

import org.jspecify.annotations.Nullable;

/**
 * Hands out candidate indices from the least valuable up, sorting only as far as the round reads.
 *
 * <p>Each candidate has a score and a tie-break key (lower goes first). When the reader needs more,
 * the next batch of lowest candidates is selected from the rest in linear expected time
 * (quickselect) and only that batch is sorted, so closing k of n candidates costs about n + k log k
 * comparisons rather than n log n. The candidates' keys are copied side by side into one primitive
 * array (score, tie-break key, index) that the selection moves in place, so its passes read memory
 * in order instead of chasing an index per comparison; no lock, no boxing.
 *
 * <p>When every score is a whole number and they span fewer values than there are candidates (a
 * round scored by tags alone: a peer's value is a sum of integer weights), the copy puts the
 * candidates in score order at once, by counting, and each score's run is then sorted by its tie
 * keys only when the reader reaches it: W1 at 100 000 closes 50 000 candidates spread over 101
 * scores, so its sorting works on runs of about 500 rather than on 50 000 at once, and every
 * comparison's first test, of the scores, comes out the same way.
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

  /** Fewer candidates than this are sorted as they are: counting them by score pays off above. */
  private static final int MIN_FOR_RUNS = 64;

  /** The most runs of one score the copy counts the candidates into. */
  private static final int MAX_RUNS = 1 << 16;

  private final long[] items;
  private final int n;

  /**
   * Where each run of one score ends, when the copy put the candidates in score order (see the
   * class comment); null otherwise.
   */
  private final int @Nullable [] runEnds;

  /** The run {@link #next} sorts from next, in {@link #runEnds}. */
  private int run;

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
    Runs runs = runsByScore(score, n);
    this.runEnds = runs == null ? null : runs.ends();
    if (runs == null) {
      for (int from = 0; from < n; from += COPY_BATCH) {
        copy(score, tie, from, Math.min(n, from + COPY_BATCH));
      }
    } else {
      int[] next = new int[runs.ends().length];
      System.arraycopy(runs.ends(), 0, next, 1, next.length - 1);
      for (int from = 0; from < n; from += COPY_BATCH) {
        copyInRuns(score, tie, runs.lowest(), next, from, Math.min(n, from + COPY_BATCH));
      }
    }
  }

  private void copy(double[] score, long[] tie, int from, int to) {
    for (int i = from; i < to; i++) {
      items[i * STRIDE] = ordered(score[i]);
      items[i * STRIDE + 1] = tie[i];
      items[i * STRIDE + 2] = i;
    }
  }

  /** Copies each candidate to the next free place of its score's run ({@code next}, by run). */
  private void copyInRuns(double[] score, long[] tie, double lowest, int[] next, int from, int to) {
    for (int i = from; i < to; i++) {
      int at = next[(int) (score[i] - lowest)]++ * STRIDE;
      items[at] = ordered(score[i]);
      items[at + 1] = tie[i];
      items[at + 2] = i;
    }
  }

  /**
   * The lowest score, and where each score's run ends once the candidates are in score order, by
   * score less the lowest.
   */
  private record Runs(double lowest, int[] ends) {}

  /**
   * The runs of one score, when every score is a whole number and they span fewer values than there
   * are candidates (and at most {@link #MAX_RUNS}); null otherwise, and for fewer than {@link
   * #MIN_FOR_RUNS}. Its loops walk {@link #COPY_BATCH} candidates per call, as the copy's do.
   */
  private static @Nullable Runs runsByScore(double[] score, int n) {
    if (n < MIN_FOR_RUNS) {
      return null;
    }
    double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (int from = 0; from < n; from += COPY_BATCH) {
      if (!widenToWholeScores(score, from, Math.min(n, from + COPY_BATCH), range)) {
        return null;
      }
    }
    double lowest = range[0];
    double span = range[1] - lowest; // exact: both are whole numbers, and close when it is small
    if (!(span < Math.min(n, MAX_RUNS))) {
      return null; // an infinity, or too many values for the candidates
    }
    int[] ends = new int[(int) span + 1];
    for (int from = 0; from < n; from += COPY_BATCH) {
      count(score, lowest, ends, from, Math.min(n, from + COPY_BATCH));
    }
    for (int r = 1; r < ends.length; r++) {
      ends[r] += ends[r - 1];
    }
    return new Runs(lowest, ends);
  }

  /**
   * Widens {@code range} (lowest, highest) to the scores {@code from} to {@code to} (exclusive);
   * false if one is not a whole number.
   */
  private static boolean widenToWholeScores(double[] score, int from, int to, double[] range) {
    for (int i = from; i < to; i++) {
      double s = score[i];
      if (s != Math.rint(s)) {
        return false; // a fraction, or NaN
      }
      range[0] = Math.min(range[0], s);
      range[1] = Math.max(range[1], s);
    }
    return true;
  }

  /** Counts the scores {@code from} to {@code to} (exclusive) into their runs. */
  private static void count(double[] score, double lowest, int[] runs, int from, int to) {
    for (int i = from; i < to; i++) {
      runs[(int) (score[i] - lowest)]++;
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
      int end = n;
      if (runEnds != null) {
        while (runEnds[run] == sorted) {
          run++; // runs of a score nobody has are empty
        }
        end = runEnds[run];
        batch = Math.min(batch, end - sorted);
      }
      if (batch < end - sorted) {
        select(sorted, end - 1, sorted + batch - 1);
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
