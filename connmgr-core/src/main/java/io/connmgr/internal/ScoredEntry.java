package io.connmgr.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A subject scorers rate (a peer, a connection, a stream) that remembers which scorers' last answer
 * for it was {@link io.connmgr.Score#KEEP}, by their marks. The memory is on the subject, not in a
 * table keyed by it: a lookup scans the few scorers that kept it, whatever its hash (a peer chooses
 * its id, and with it its entry's hash), and the marks leave with the subject.
 */
abstract class ScoredEntry extends StatefulEntry {

  private static final KeepMark[] NONE = {};

  private static final VarHandle KEPT_BY;

  static {
    try {
      KEPT_BY = MethodHandles.lookup().findVarHandle(ScoredEntry.class, "keptBy", KeepMark[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The marks of the scorers whose last answer was KEEP; replaced whole, by compare-and-set. */
  private volatile KeepMark[] keptBy = NONE;

  /** Whether the last answer of the scorer with {@code mark} was KEEP. */
  final boolean isKeptBy(KeepMark mark) {
    return indexOf(keptBy, mark) >= 0;
  }

  /**
   * Records whether the last answer of the scorer with {@code mark} was KEEP; a change also drops
   * the marks of scorers unregistered since.
   */
  final void setKeptBy(KeepMark mark, boolean keep) {
    for (; ; ) {
      KeepMark[] current = keptBy;
      if (indexOf(current, mark) >= 0 == keep) {
        return;
      }
      if (KEPT_BY.compareAndSet(this, current, changed(current, mark, keep))) {
        return;
      }
    }
  }

  private static KeepMark[] changed(KeepMark[] current, KeepMark mark, boolean keep) {
    KeepMark[] next = new KeepMark[current.length + 1];
    int n = 0;
    for (KeepMark m : current) {
      if (m != mark && !m.isRetired()) {
        next[n++] = m;
      }
    }
    if (keep && !mark.isRetired()) {
      next[n++] = mark;
    }
    return n == 0 ? NONE : Arrays.copyOf(next, n);
  }

  private static int indexOf(KeepMark[] marks, KeepMark mark) {
    for (int i = 0; i < marks.length; i++) {
      if (marks[i] == mark) {
        return i;
      }
    }
    return -1;
  }

  /**
   * One registered scorer's mark: small, so a subject it kept holds neither the scorer nor what the
   * scorer holds; retired when the scorer is unregistered.
   */
  static final class KeepMark {

    private volatile boolean retired;

    void retire() {
      retired = true;
    }

    boolean isRetired() {
      return retired;
    }
  }
}
