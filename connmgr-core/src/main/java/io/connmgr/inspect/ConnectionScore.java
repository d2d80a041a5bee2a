package io.connmgr.inspect;

import io.connmgr.Direction;
import io.connmgr.PeerId;
import io.connmgr.SkipReason;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One connection's score as a round would compute it now.
 *
 * @param connectionId the connection
 * @param peer its peer
 * @param direction its direction
 * @param score the peer's tag value plus each scorer's weighted result
 * @param heldBack why a round would not close it whatever its score (protected, in grace, leased,
 *     kept by a scorer); null for a candidate
 * @param breakdown the score's parts: {@code tag:NAME} and {@code scorer:NAME}
 */
public record ConnectionScore(
    long connectionId,
    PeerId peer,
    Direction direction,
    double score,
    @Nullable SkipReason heldBack,
    Map<String, Double> breakdown) {

  /** Freezes the breakdown, keeping its order. */
  public ConnectionScore {
    Objects.requireNonNull(breakdown, "breakdown");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(direction, "direction");
    breakdown = Collections.unmodifiableMap(new LinkedHashMap<>(breakdown));
  }

  /** Whether a round could close this connection. */
  public boolean candidate() {
    return heldBack == null;
  }
}
