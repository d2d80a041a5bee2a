package io.connmgr;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why one connection was closed: when, which, what started it, and the score that put it first in
 * line.
 *
 * @param at when the manager decided to close it
 * @param connectionId the connection's id
 * @param peer the connection's peer
 * @param direction the connection's direction
 * @param trigger what started the eviction
 * @param reason a sentence for an operator
 * @param score the connection's total score in that round
 * @param breakdown the score's parts: {@code tag:NAME} for each tag, {@code scorer:NAME} for each
 *     scorer (weighted), in the order they were added
 */
public record EvictionRecord(
    Instant at,
    long connectionId,
    PeerId peer,
    Direction direction,
    Trigger trigger,
    String reason,
    double score,
    Map<String, Double> breakdown) {

  /** Checks the arguments and freezes the breakdown, keeping its order. */
  public EvictionRecord {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(breakdown, "breakdown");
    breakdown = Collections.unmodifiableMap(new LinkedHashMap<>(breakdown));
  }
}
