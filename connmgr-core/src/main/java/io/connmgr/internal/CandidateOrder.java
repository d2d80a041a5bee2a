package io.connmgr.internal;

/**
 * Hands out candidate indices from the least valuable up, sorting only as far as the round reads.
 *
 * <p>Each candidate has a score and a tie-break key (lower goes first). When the reader needs
 * more, the next batch of lowest candidates is selected from the rest in linear expected time
 * (quickselect) and only that batch is sorted, so closing k of n candidates costs about
 * n + k log k comparisons rather than n log n. Comparisons read two primitive arrays; no lock, no
 * boxing.
 */
public final class CandidateOrder {

  private static final int INSERTION_SORT_MAX = 24;

  private final double[] score;
  private final long[] tie;
  private final int[] order;
  private final int n;
  private int sorted;
  private int cursor;
  private int lessEnd;
  private int equalEnd;
  private long seed = 0x9E3779B97F4A7C15L;

  /**
   * Orders {@code n} candidates.
   *
   * @param score each candidate's score; lower is closed first
   * @param tie each candidate's tie-break key for equal scores; lower is closed first
   */
  public CandidateOrder(double[] score, long[] tie, int n) {
    this.score = score;
    this.tie = tie;
    this.n = n;
    this.order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
  }

  /** The tie-break key: no open stream, then a duplicate connection, then inbound, then youngest. */
  public static long tieKey(boolean hasStreams, boolean onlyConnectionOfPeer, boolean outbound,
      long ageNanos) {
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

  public boolean hasNext() {
    return cursor < n;
  }

  /**
   * The next candidate index, in ascending order.
   *
   * @param stillNeeded how many more the reader expects to take; sizes the next sorted batch
   */
  public int next(int stillNeeded) {
    if (cursor == sorted) {
      // what is still needed, plus a slack for the few a lease or a veto will spare
      int batch = (int) Math.min(n - sorted, (long) stillNeeded + Math.max(64, stillNeeded / 8));
      if (batch < n - sorted) {
        select(sorted, n - 1, sorted + batch - 1);
      }
      sort(sorted, sorted + batch - 1);
      sorted += batch;
    }
    return order[cursor++];
  }

  /** Sorts everything at once; the baseline the benchmarks compare the selection against. */
  public void sortAll() {
    sort(0, n - 1);
    sorted = n;
  }

  private boolean less(int a, int b) {
    double sa = score[a];
    double sb = score[b];
    if (sa != sb) {
      return sa < sb;
    }
    return tie[a] < tie[b];
  }

  /** Rearranges order[lo..hi] so order[k] is in its sorted place, smaller ones before it. */
  private void select(int lo, int hi, int k) {
    while (hi > lo) {
      partition(lo, hi);
      if (k < lessEnd) {
        hi = lessEnd - 1;
      } else if (k > equalEnd) {
        lo = equalEnd + 1;
      } else {
        return;
      }
    }
  }

  private void sort(int lo, int hi) {
    while (hi - lo > INSERTION_SORT_MAX) {
      partition(lo, hi);
      int lt = lessEnd;
      int gt = equalEnd;
      if (lt - lo < hi - gt) {
        sort(lo, lt - 1);
        lo = gt + 1;
      } else {
        sort(gt + 1, hi);
        hi = lt - 1;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      int v = order[i];
      int j = i - 1;
      while (j >= lo && less(v, order[j])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
  }

  /**
   * Three-way partition of order[lo..hi] around a random pivot, so runs of equal keys cost
   * nothing: afterwards order[lo..lessEnd) is below the pivot, order[lessEnd..equalEnd] equal to
   * it, and the rest above.
   */
  private void partition(int lo, int hi) {
    int pivot = order[lo + (int) Long.remainderUnsigned(nextRandom(), hi - lo + 1)];
    int lt = lo;
    int i = lo;
    int gt = hi;
    while (i <= gt) {
      int v = order[i];
      if (less(v, pivot)) {
        swap(lt++, i++);
      } else if (less(pivot, v)) {
        swap(i, gt--);
      } else {
        i++;
      }
    }
    lessEnd = lt;
    equalEnd = gt;
  }

  private void swap(int i, int j) {
    int t = order[i];
    order[i] = order[j];
    order[j] = t;
  }

  private long nextRandom() {
    long z = (seed += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
