package io.connmgr.internal;

/** One decaying tag's value on one peer; guarded by the peer's monitor. */
final class DecayingValue {

  private final DecayingTagEntry tag;
  private int value;
  private long lastBumpNanos;

  /** Where it sits in its peer's array. */
  private int slot;

  /** Intervals of its tag that ended at or before this are applied to the value (or precede it). */
  private long decayedTo = Long.MIN_VALUE;

  DecayingValue(DecayingTagEntry tag, long nowNanos, int slot) {
    this.tag = tag;
    this.lastBumpNanos = nowNanos;
    this.slot = slot;
  }

  DecayingTagEntry tag() {
    return tag;
  }

  int value() {
    return value;
  }

  /** Sets the value; only its peer does, keeping the peer's tag value in step. */
  void setValue(int value) {
    this.value = value;
  }

  long lastBumpNanos() {
    return lastBumpNanos;
  }

  /** A bump at {@code nowNanos}: intervals that ended before it do not apply to its value. */
  void bumpedAt(long nowNanos) {
    lastBumpNanos = nowNanos;
    caughtUpTo(tag.tickBefore(nowNanos));
  }

  long decayedTo() {
    return decayedTo;
  }

  /** Marks the intervals that ended at or before {@code tick} as applied. */
  void caughtUpTo(long tick) {
    decayedTo = Math.max(decayedTo, tick);
  }

  /** Whether the value, its last bump and its decay are still as a pass read them. */
  boolean unchangedSince(int readValue, long readLastBump, long readDecayedTo) {
    return value == readValue && lastBumpNanos == readLastBump && decayedTo == readDecayedTo;
  }

  int slot() {
    return slot;
  }

  /** Its peer moved it to another place in its array. */
  void moveTo(int slot) {
    this.slot = slot;
  }
}
