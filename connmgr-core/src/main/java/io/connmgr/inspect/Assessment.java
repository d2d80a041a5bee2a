package io.connmgr.inspect;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Every open connection scored as a round would score it now, without closing anything: the
 * candidates first, in the order a round would close them, then the connections held back.
 */
public final class Assessment {

  private final Instant takenAt;
  private final List<ConnectionScore> connections;

  /** Wraps scores already in closing order. */
  public Assessment(Instant takenAt, List<ConnectionScore> connections) {
    Objects.requireNonNull(takenAt, "takenAt");
    this.takenAt = takenAt;
    this.connections = List.copyOf(connections);
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
}
