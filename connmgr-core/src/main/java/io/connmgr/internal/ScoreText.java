package io.connmgr.internal;

import java.util.Locale;

/** How a score reads in a sentence for an operator: whole numbers without decimals. */
final class ScoreText {

  private ScoreText() {}

  static String format(double score) {
    return score == Math.rint(score) && Math.abs(score) < 1e15
        ? Long.toString((long) score)
        : String.format(Locale.ROOT, "%.2f", score);
  }
}
