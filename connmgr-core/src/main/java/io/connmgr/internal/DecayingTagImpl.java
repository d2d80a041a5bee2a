package io.connmgr.internal;

import io.connmgr.BumpFunction;
import io.connmgr.DecayFunction;
import io.connmgr.DecayFunctions;
import io.connmgr.DecayingTag;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A registered decaying tag and the peers that carry it. */
final class DecayingTagImpl implements DecayingTag {

  private final DecayingTags owner;
  private final String name;
  private final Duration interval;
  final long intervalNanos;
  final DecayFunction decay;
  final BumpFunction bump;
  /**
   * Whether the decay function is one of {@link io.connmgr.DecayFunctions}' presets: pure and
   * constant time, so a pass may run it under the peer's lock (one lock per peer, not two).
   */
  final boolean presetDecay;
  /** Peers carrying a value of this tag. */
  final Set<PeerEntry> holders = ConcurrentHashMap.newKeySet();
  /** Where the tag's intervals start: they end at origin + k × interval. */
  private final long originNanos;
  /** The last interval end a pass applied to every holder; moved only by (serialized) passes. */
  long lastPassTick;
  /** Calls of a custom decay function a pass stopped waiting for and that did not return yet. */
  final AtomicInteger hungCalls = new AtomicInteger();
  /** Whether a failure of its custom decay function was logged yet. */
  final AtomicBoolean failureLogged = new AtomicBoolean();
  volatile boolean closed;

  DecayingTagImpl(DecayingTags owner, String name, Duration interval, DecayFunction decay,
      BumpFunction bump, long nowNanos) {
    this.owner = owner;
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

  @Override
  public String name() {
    return name;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void bump(PeerId peer, int delta) {
    Objects.requireNonNull(peer, "peer");
    owner.bump(this, peer, delta);
  }

  @Override
  public void remove(PeerId peer) {
    Objects.requireNonNull(peer, "peer");
    owner.remove(this, peer);
  }

  @Override
  public void close() {
    owner.close(this);
  }

  @Override
  public String toString() {
    return "DecayingTag[" + name + " every " + interval + "]";
  }
}
