package io.connmgr.internal;

import io.connmgr.Trigger;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Why a round ran, the sentence every one of its eviction records opens with, put together only
 * when a record's reason is first read: a round runs its own code a few times an hour, interpreted,
 * and most rounds' reasons are never read.
 */
final class RoundCause {

  private final Trigger trigger;
  private final int before;
  private final int lowWater;
  private final int highWater;

  /** The sentence once built; a racing read builds an equal one. */
  private @Nullable String sentence;

  /**
   * @param before the open connections when the round started
   */
  RoundCause(Trigger trigger, int before, int lowWater, int highWater) {
    this.trigger = trigger;
    this.before = before;
    this.lowWater = lowWater;
    this.highWater = highWater;
  }

  /** For example "above high water 750; trimming 1000 connections to low water 500". */
  String sentence() {
    String built = sentence;
    if (built == null) {
      String goal = "trimming " + before + " connections to low water " + lowWater;
      built =
          switch (trigger) {
            case WATERMARK -> "above high water " + highWater + "; " + goal;
            case MANUAL -> "trim() requested; " + goal;
            case EMERGENCY -> "heap pressure; " + goal;
            default -> trigger.name().toLowerCase(Locale.ROOT) + "; " + goal;
          };
      sentence = built;
    }
    return built;
  }
}
