package io.connmgr.internal;

import io.connmgr.BumpFunction;
import io.connmgr.DecayFunction;
import io.connmgr.DecayFunctions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registered decaying tag and the peers that carry it. The application holds a {@link
 * DecayingTagHandle} to it.
 */
final class DecayingTagEntry {

  private final String name;
  private final Duration interval;
  private final long intervalNanos;
  private final DecayFunction decay;
  private final BumpFunction bump;

  /**
   * Whether the decay function is one of {@link io.connmgr.DecayFunctions}' presets: pure and
   * constant time, so a pass may run it under the peer's lock (one lock per peer, not two).
   */
  private final boolean presetDecay;

  /** Peers carrying a value of this tag. */
  private final Holders holders = new Holders();

  /** Where the tag's intervals start: they end at origin + k × interval. */
  private final long originNanos;

  /** The last interval end a pass applied to every holder; moved only by (serialized) passes. */
  private long lastPassTick;

  /** Calls of a custom decay function a pass stopped waiting for and that did not return yet. */
  private final AtomicInteger hungCalls = new AtomicInteger();

  /** Whether a failure of its custom decay function was logged yet. */
  private final AtomicBoolean failureLogged = new AtomicBoolean();

  private volatile boolean closed;

  DecayingTagEntry(
      String name, Duration interval, DecayFunction decay, BumpFunction bump, long nowNanos) {
    this.name = name;
    this.interval = interval;
    this.intervalNanos = interval.toNanos();
    this.decay = decay;
    this.bump = bump;
    this.presetDecay = decay.getClass().getNestHost() == DecayFunctions.class;
    this.originNanos = nowNanos;
    this.lastPassTick = nowNanos;
  }

  /** The end of the last interval at or before {@code nanos}. */
  long tickAtOrBefore(long nanos) {
    return originNanos + Math.floorDiv(nanos - originNanos, intervalNanos) * intervalNanos;
  }

  /** The end of the last interval strictly before {@code nanos}, or the origin. */
  long tickBefore(long nanos) {
    return Math.max(originNanos, tickAtOrBefore(nanos - 1));
  }

  /** Whether a call of its decay function is still out past its budget: no pass calls it. */
  boolean isHung() {
    return hungCalls.get() > 0;
  }

  /** A pass stopped waiting for a call of its decay function: not called until it returns. */
  void markHungCall() {
    hungCalls.incrementAndGet();
  }

  /** A call a pass stopped waiting for returned. */
  void hungCallReturned() {
    hungCalls.decrementAndGet();
  }

  /** True the first time only: whether this failure of its decay function is to be logged. */
  boolean firstFailure() {
    return failureLogged.compareAndSet(false, true);
  }

  /** Whether its decay function is {@link DecayFunctions#none()}: nothing to decay. */
  boolean neverDecays() {
    return decay == DecayFunctions.none();
  }

  /** Whether its decay function is a pure, constant-time preset, run under the peer's lock. */
  boolean hasPresetDecay() {
    return presetDecay;
  }

  long intervalNanos() {
    return intervalNanos;
  }

  /** The decay function's value after {@code due} intervals. */
  int decay(int value, Duration sinceBump, long due) {
    return decay.decay(value, sinceBump, interval, due);
  }

  /** The bump function's value. */
  int bumped(int value, int delta) {
    return bump.bump(value, delta);
  }

  /** The last interval end a pass applied to every holder. */
  long lastPassTick() {
    return lastPassTick;
  }

  /** A pass applied every interval up to {@code tick} to every holder. */
  void passedTo(long tick) {
    lastPassTick = tick;
  }

  // --- holders and life ------------------------------------------------------------------------

  /** The peers carrying a value of this tag now (a copy). */
  PeerEntry[] holders() {
    return holders.snapshot();
  }

  void addHolder(PeerEntry peer) {
    holders.add(peer);
  }

  void removeHolder(PeerEntry peer) {
    holders.remove(peer);
  }

  void clearHolders() {
    holders.clear();
  }

  boolean isClosed() {
    return closed;
  }

  /** Marks it closed; false if it already was. */
  boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  String name() {
    return name;
  }

  Duration interval() {
    return interval;
  }

  @Override
  public String toString() {
    return "DecayingTag[" + name + " every " + interval + "]";
  }
}
