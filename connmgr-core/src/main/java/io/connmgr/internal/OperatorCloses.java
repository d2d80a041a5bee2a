package io.connmgr.internal;

import io.connmgr.EvictionRecord;
import io.connmgr.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The closes an operator asks for, outside any round: one connection by id, or every connection
 * (also at shutdown). Protected and leased connections close too; each close is on record.
 */
public final class OperatorCloses {

  private final OpenState open;
  private final PeerTable table;
  private final Closes closes;
  private final Clock clock;
  private final long budgetNanos;

  OperatorCloses(OpenState open, PeerTable table, Closes closes, Clock clock, long budgetNanos) {
    this.open = open;
    this.table = table;
    this.closes = closes;
    this.clock = clock;
    this.budgetNanos = budgetNanos;
  }

  /** See {@link io.connmgr.ConnectionManager#evict}. */
  public boolean evict(long connectionId, String reason) {
    open.ensureOpen();
    ConnectionEntry c = table.connection(connectionId);
    if (c == null || c.state() != ConnectionEntry.OPEN) {
      return false;
    }
    return closes.closeOne(
            c, recordFor(Trigger.OPERATOR, reason).apply(c), clock.nanos(), budgetNanos)
        == Closes.Outcome.CLOSED;
  }

  /** See {@link io.connmgr.ConnectionManager#closeAll}. */
  public int closeAll(String reason) {
    open.ensureOpen();
    return closeEverything(reason);
  }

  /** Closes every open connection, protected and leased ones too, with trigger SHUTDOWN. */
  int closeEverything(String reason) {
    List<ConnectionEntry> all = new ArrayList<>();
    for (PeerEntry peer : table.peers()) {
      all.addAll(List.of(peer.connectionArray()));
    }
    return closes.closeEach(all, recordFor(Trigger.SHUTDOWN, reason), clock.nanos(), budgetNanos);
  }

  /** A record of a close by an operator: the peer's tags make the score. */
  private Function<ConnectionEntry, EvictionRecord> recordFor(Trigger trigger, String reason) {
    return c ->
        new EvictionRecord(
            clock.instant(),
            c.id(),
            c.peer(),
            c.direction(),
            trigger,
            reason,
            c.peerEntry().tagValue(),
            c.peerEntry().tagBreakdown());
  }
}
