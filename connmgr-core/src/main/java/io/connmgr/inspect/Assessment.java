package io.connmgr.inspect;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every open connection scored as a round would score it now, without closing anything: the
 * candidates first, in the order a round would close them, then the connections held back.
 */
public final class Assessment {

  private final Instant takenAt;
  private final List<ConnectionScore> connections;
  private final Map<Long, ConnectionScore> byId;

  /** Wraps scores already in closing order. */
  public Assessment(Instant takenAt, List<ConnectionScore> connections) {
    Objects.requireNonNull(takenAt, "takenAt");
    this.takenAt = takenAt;
    this.connections = List.copyOf(connections);
    Map<Long, ConnectionScore> index = new HashMap<>(connections.size() * 2);
    for (ConnectionScore s : connections) {
      index.put(s.connectionId(), s);
    }
    this.byId = index;
  }

  public Instant takenAt() {
    return takenAt;
  }

  /** Candidates in closing order, then held-back connections. */
  public List<ConnectionScore> connections() {
    return connections;
  }

  /** The first {@code n} in closing order: the connections the next round would close first. */
  public List<ConnectionScore> lowest(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative, was " + n);
    }
    return connections.subList(0, Math.min(n, connections.size()));
  }

  /** One connection's score, if it was open when assessed. */
  public Optional<ConnectionScore> of(long connectionId) {
    return Optional.ofNullable(byId.get(connectionId));
  }
}
