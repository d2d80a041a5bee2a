package io.connmgr;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why one connection was closed: when, which, what started it, and the score that put it first in
 * line.
 *
 * <p>A record made by a round captures at close time only what its explanation needs, and builds
 * the sentence, the score and the breakdown the first time one of them is read (a round of
 * thousands of closes builds none of them unless someone looks). What a reader sees is the same
 * either way. Records compare by all their components, like a Java record.
 */
public final class EvictionRecord {

  /**
   * What a record's reason, score and breakdown are built from when first read; each method is
   * called at most once per record.
   */
  public interface Explanation {
    /** The score's parts, in the order they were added. */
    Map<String, Double> breakdown();

    /** A sentence for an operator, given the score (the sum of the breakdown's parts). */
    String reason(double score);
  }

  private final Instant at;
  private final long connectionId;
  private final PeerId peer;
  private final Direction direction;
  private final Trigger trigger;
  private @Nullable Explanation explanation;
  private @Nullable String reason;
  private double score;
  private @Nullable Map<String, Double> breakdown;

  /**
   * A record with everything known.
   *
   * @param at when the manager decided to close it
   * @param connectionId the connection's id
   * @param peer the connection's peer
   * @param direction the connection's direction
   * @param trigger what started the eviction
   * @param reason a sentence for an operator
   * @param score the connection's total score in that round
   * @param breakdown the score's parts: {@code tag:NAME} for each tag, {@code scorer:NAME} for each
   *     scorer (weighted), in the order they were added; copied and frozen
   */
  public EvictionRecord(
      Instant at,
      long connectionId,
      PeerId peer,
      Direction direction,
      Trigger trigger,
      String reason,
      double score,
      Map<String, Double> breakdown) {
    this(at, connectionId, peer, direction, trigger);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.score = score;
    this.breakdown = freeze(Objects.requireNonNull(breakdown, "breakdown"));
  }

  /**
   * A record whose reason, score and breakdown are built from {@code explanation} when first read;
   * the score is the sum of the breakdown's parts, in their order.
   */
  public static EvictionRecord explainedOnRead(
      Instant at,
      long connectionId,
      PeerId peer,
      Direction direction,
      Trigger trigger,
      Explanation explanation) {
    EvictionRecord record = new EvictionRecord(at, connectionId, peer, direction, trigger);
    record.explanation = Objects.requireNonNull(explanation, "explanation");
    return record;
  }

  private EvictionRecord(
      Instant at, long connectionId, PeerId peer, Direction direction, Trigger trigger) {
    this.at = Objects.requireNonNull(at, "at");
    this.connectionId = connectionId;
    this.peer = Objects.requireNonNull(peer, "peer");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.trigger = Objects.requireNonNull(trigger, "trigger");
  }

  private static Map<String, Double> freeze(Map<String, Double> parts) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(parts));
  }

  /** Builds what the explanation gives, once; afterwards reads see the built fields. */
  private synchronized void explain() {
    Explanation e = explanation;
    if (e == null) {
      return;
    }
    Map<String, Double> parts = e.breakdown();
    double sum = 0;
    for (double part : parts.values()) {
      sum += part;
    }
    score = sum;
    breakdown = freeze(parts);
    reason = e.reason(sum);
    explanation = null;
  }

  /** When the manager decided to close it. */
  public Instant at() {
    return at;
  }

  /** The connection's id. */
  public long connectionId() {
    return connectionId;
  }

  /** The connection's peer. */
  public PeerId peer() {
    return peer;
  }

  /** The connection's direction. */
  public Direction direction() {
    return direction;
  }

  /** What started the eviction. */
  public Trigger trigger() {
    return trigger;
  }

  /** A sentence for an operator. */
  public synchronized String reason() {
    explain();
    return Objects.requireNonNull(reason);
  }

  /** The connection's total score in that round. */
  public synchronized double score() {
    explain();
    return score;
  }

  /**
   * The score's parts: {@code tag:NAME} for each tag, {@code scorer:NAME} for each scorer
   * (weighted), in the order they were added; unmodifiable.
   */
  public synchronized Map<String, Double> breakdown() {
    explain();
    return Objects.requireNonNull(breakdown);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this
        || (o instanceof EvictionRecord r
            && at.equals(r.at)
            && connectionId == r.connectionId
            && peer.equals(r.peer)
            && direction == r.direction
            && trigger == r.trigger
            && reason().equals(r.reason())
            && Double.compare(score(), r.score()) == 0
            && breakdown().equals(r.breakdown()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(at, connectionId, peer, direction, trigger, reason(), score(), breakdown());
  }

  @Override
  public String toString() {
    return "EvictionRecord[at="
        + at
        + ", connectionId="
        + connectionId
        + ", peer="
        + peer
        + ", direction="
        + direction
        + ", trigger="
        + trigger
        + ", reason="
        + reason()
        + ", score="
        + score()
        + ", breakdown="
        + breakdown()
        + "]";
  }
}
