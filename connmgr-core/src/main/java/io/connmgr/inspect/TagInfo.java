package io.connmgr.inspect;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the manager knows of a peer's tags, as go-libp2p's {@code TagInfo} reports it.
 *
 * @param firstSeen when the manager first heard of the peer
 * @param value the sum of the tag weights
 * @param tags each tag and its weight, decaying tags included
 * @param connections the open connections by id, with the instant each opened
 */
public record TagInfo(
    Instant firstSeen, int value, Map<String, Integer> tags, Map<Long, Instant> connections) {

  /** Copies the maps. */
  public TagInfo {
    Objects.requireNonNull(firstSeen, "firstSeen");
    tags = Map.copyOf(tags);
    connections = Map.copyOf(connections);
  }
}
