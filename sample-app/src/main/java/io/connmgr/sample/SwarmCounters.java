package io.connmgr.sample;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** What the swarm's peers saw, counted from the client side of the wire. */
public final class SwarmCounters {

  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong leaves = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private final AtomicLong evictionsWithoutReason = new AtomicLong();
  private final AtomicLongArray evictionsByBehaviour =
      new AtomicLongArray(Behaviour.values().length);
  private final AtomicLong refusals = new AtomicLong();
  private final AtomicLong otherCloses = new AtomicLong();
  private final AtomicLong blocksSent = new AtomicLong();
  private final AtomicLong transfersCancelled = new AtomicLong();
  private final AtomicLong replacementsAsked = new AtomicLong();
  private volatile String lastEvictionReason = "";

  void connected() {
    connects.incrementAndGet();
  }

  void left() {
    leaves.incrementAndGet();
  }

  void failed() {
    failures.incrementAndGet();
  }

  void evicted(Behaviour behaviour, String reason) {
    evictions.incrementAndGet();
    evictionsByBehaviour.incrementAndGet(behaviour.ordinal());
    if (reason.isBlank()) {
      evictionsWithoutReason.incrementAndGet();
    } else {
      lastEvictionReason = reason;
    }
  }

  void refused() {
    refusals.incrementAndGet();
  }

  void closedByNode() {
    otherCloses.incrementAndGet();
  }

  void blockSent() {
    blocksSent.incrementAndGet();
  }

  void transferCancelled() {
    transfersCancelled.incrementAndGet();
  }

  void replacementAsked() {
    replacementsAsked.incrementAndGet();
  }

  /** Connections that opened (joins and reconnects). */
  public long connects() {
    return connects.get();
  }

  /** Voluntary departures (churn). */
  public long leaves() {
    return leaves.get();
  }

  /** Connection attempts or connections that failed. */
  public long failures() {
    return failures.get();
  }

  /** Close frames with status 1008 (evicted by the node's manager). */
  public long evictions() {
    return evictions.get();
  }

  /** Evictions whose close frame carried no reason; the adapter always sends one. */
  public long evictionsWithoutReason() {
    return evictionsWithoutReason.get();
  }

  /** Evictions by the evicted peer's behaviour. */
  public Map<Behaviour, Long> evictionsByBehaviour() {
    Map<Behaviour, Long> out = new EnumMap<>(Behaviour.class);
    for (Behaviour b : Behaviour.values()) {
      out.put(b, evictionsByBehaviour.get(b.ordinal()));
    }
    return out;
  }

  /** Connections a hard limit of the manager refused (1008, "connection refused: ..."). */
  public long refusals() {
    return refusals.get();
  }

  /** Closes by the node with any other status. */
  public long otherCloses() {
    return otherCloses.get();
  }

  /** Blocks providers finished sending. */
  public long blocksSent() {
    return blocksSent.get();
  }

  /** Transfers the node cancelled (CANCEL). */
  public long transfersCancelled() {
    return transfersCancelled.get();
  }

  /** Replacement providers the node asked for. */
  public long replacementsAsked() {
    return replacementsAsked.get();
  }

  /** The reason of the latest eviction a peer was told. */
  public String lastEvictionReason() {
    return lastEvictionReason;
  }
}
