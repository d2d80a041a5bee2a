package io.connmgr;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A manager on a manual clock with no background upkeep, and a transport that records what the
 * manager closed, as the tests of scorers, leases, vetoes and state need.
 */
final class Harness implements AutoCloseable {

  final ManualClock clock = new ManualClock();
  final List<EvictionRecord> closed = new CopyOnWriteArrayList<>();
  final ConnectionManager cm;

  /**
   * A manager with these watermarks. Scorer calls get a generous budget, so a busy machine never
   * turns a slow call into a timeout in tests that are about scores, not budgets.
   */
  Harness(int low, int high) {
    this(
        ConnectionManager.builder()
            .lowWater(low)
            .highWater(high)
            .scorerBudget(Duration.ofSeconds(5)));
  }

  Harness(ConnectionManager.Builder builder) {
    this(builder, Duration.ZERO);
  }

  /** A manager whose upkeep thread runs every {@code upkeep} (zero: none). */
  Harness(ConnectionManager.Builder builder, Duration upkeep) {
    this.cm =
        builder
            .clock(clock)
            .maintenanceInterval(upkeep)
            .gracePeriod(Duration.ofSeconds(20))
            .build();
  }

  /** Opens a connection whose closer records the eviction. */
  ManagedConnection open(String peer) {
    return open(peer, Direction.INBOUND);
  }

  ManagedConnection open(String peer, Direction direction) {
    return cm.connectionOpened(PeerId.of(peer), direction, "127.0.0.1:4001", closed::add);
  }

  /** Moves the clock past the grace period, so every connection open so far is a candidate. */
  void pastGrace() {
    clock.advance(Duration.ofSeconds(21));
  }

  List<String> closedPeers() {
    return closed.stream().map(r -> r.peer().value()).toList();
  }

  @Override
  public void close() {
    cm.close();
  }
}
