package io.connmgr.internal;

import io.connmgr.EvictionRecord;
import io.connmgr.Trigger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How connections leave: the manager's closes (OPEN, then CLOSING while the closer runs, then
 * CLOSED, or back to OPEN when the closer throws) and the transport's. Counts the closes under way,
 * so that rounds count a connection the manager is closing as gone ({@link #countNotClosing}).
 */
final class Closes {

  private static final System.Logger LOG = System.getLogger(Closes.class.getName());

  /** How a close by the manager ended. */
  enum Outcome {
    /** The closer returned (or the transport closed it meanwhile): it no longer counts. */
    CLOSED,
    /** The closer threw; the connection stays open and counted. */
    FAILED,
    /** It was already closed or being closed by someone else. */
    GONE
  }

  private final PeerTable table;
  private final Runnable slotReleased;
  private final EvictionHistory history;

  /** Told of every eviction, where its record is made final. */
  private final ReturningPeers returning;

  private final ListenerBus bus;
  private final CallbackSupervisor supervisor;
  private final AtomicInteger closing = new AtomicInteger();

  Closes(
      PeerTable table,
      Runnable slotReleased,
      EvictionHistory history,
      ReturningPeers returning,
      ListenerBus bus,
      CallbackSupervisor supervisor) {
    this.table = table;
    this.slotReleased = slotReleased;
    this.history = history;
    this.returning = returning;
    this.bus = bus;
    this.supervisor = supervisor;
  }

  /** Open connections but those the manager is closing: the count rounds work from. */
  int countNotClosing() {
    return table.connectionCount() - closing.get();
  }

  /**
   * Reads, changing nothing, what closing {@code c} will touch in the table (see {@link
   * PeerTable#readAhead}) and the closer's own object, whose class its call checks first (a cache
   * miss of its own per close, the object being anywhere in the heap); returns a number made of
   * what it read. Reading the class calls nothing of the closer.
   */
  int readAhead(ConnectionEntry c) {
    return table.readAhead(c) + c.closer().getClass().hashCode();
  }

  /** The transport says the connection closed (idempotent). */
  void transportClosed(ConnectionEntry c) {
    for (; ; ) {
      int state = c.state();
      if (state == ConnectionEntry.CLOSED) {
        return;
      }
      if (c.transition(state, ConnectionEntry.CLOSED)) {
        removed(c, null);
        return;
      }
    }
  }

  /**
   * Takes the closed connection out of the table; true when its eviction waits on its departed
   * peer's entry (see {@link PeerTable#remove(ConnectionEntry, DepartedPeers)}).
   */
  private boolean removed(ConnectionEntry c, @Nullable DepartedPeers departed) {
    boolean waits = table.remove(c, departed);
    slotReleased.run();
    if (bus.hears(ListenerEvent.CONNECTION_CLOSED)) {
      bus.fire(ListenerEvent.CONNECTION_CLOSED, ConnectionEvents.closed(c));
    }
    return waits;
  }

  /**
   * Where a round made at {@code nowNanos} (a reading of the manager's clock) and {@code at} leaves
   * the peers its closes take the last connection from, with what records their evictions: see
   * {@link DepartedPeers}. Its closes must be made at the same readings.
   */
  DepartedPeers departedPeers(Trigger trigger, long nowNanos, Instant at) {
    return new DepartedPeers(returning.evictionsAt(trigger, nowNanos, at));
  }

  /**
   * Calls the connection's closer as a watched call of {@code watch}, and accounts for it even when
   * the watcher stopped waiting: a late closer's close still completes. {@code atNanos} is the
   * reading of the manager's clock the eviction counts as made at, for the eviction memory: the one
   * taken with its record's time (a round's start, for a round's), which saves a clock read per
   * close.
   */
  Outcome close(ConnectionEntry c, EvictionRecord record, long atNanos, CallWatch watch) {
    return close(c, record, atNanos, watch, null, null);
  }

  /**
   * Told when a close is done: the connection left the table, and only the closer saw the record.
   */
  interface Settled {
    void settled();
  }

  /**
   * As {@link #close(ConnectionEntry, EvictionRecord, long, CallWatch)}, for a round: {@code
   * settled} is told once the connection left the table, before anyone but the closer is handed the
   * record, and a peer this close leaves without connections waits in {@code departed} to leave the
   * peers map after the round (see {@link DepartedPeers}).
   */
  Outcome close(
      ConnectionEntry c,
      EvictionRecord record,
      long atNanos,
      CallWatch watch,
      @Nullable Settled settled,
      @Nullable DepartedPeers departed) {
    if (!c.transition(ConnectionEntry.OPEN, ConnectionEntry.CLOSING)) {
      return Outcome.GONE;
    }
    closing.incrementAndGet();
    // the closer and the close's accounting are one watched call, so that a closer the watcher
    // gave up on still has its close accounted for when it returns
    long call = watch.calling("the closer of connection ", c.id());
    try {
      return settle(c, record, atNanos, runCloser(c, record), settled, departed);
    } finally {
      watch.returned(call, null);
    }
  }

  /**
   * Calls the closer; what it threw, or null. Whatever it threw (see {@link CallbackFailed}: an
   * error, a checked exception its language never declared) fails the close as an exception does:
   * thrown on, it would leave the connection closing and counted as gone for good.
   */
  private static @Nullable Throwable runCloser(ConnectionEntry c, EvictionRecord record) {
    try {
      c.closer().close(record);
      return null;
    } catch (Throwable e) {
      return e;
    }
  }

  private Outcome settle(
      ConnectionEntry c,
      EvictionRecord record,
      long atNanos,
      @Nullable Throwable failure,
      @Nullable Settled settled,
      @Nullable DepartedPeers departed) {
    boolean waits = false;
    try {
      if (failure != null && c.transition(ConnectionEntry.CLOSING, ConnectionEntry.OPEN)) {
        LOG.log(
            Level.WARNING,
            "connmgr closer of " + c + " failed; it stays open and the next " + "round tries again",
            failure);
        Exception e = failure instanceof Exception ex ? ex : new RuntimeException(failure);
        bus.fire(ListenerEvent.CLOSE_FAILURE, l -> l.onCloseFailure(c, e));
        return Outcome.FAILED;
      }
      // a round's eviction of a peer's last connection waits on the departed entry, to be recorded
      // in the eviction memory once the round's caller has the report (or when the peer returns)
      waits = c.transition(ConnectionEntry.CLOSING, ConnectionEntry.CLOSED) && removed(c, departed);
    } finally {
      closing.decrementAndGet();
    }
    if (settled != null) {
      settled.settled();
    }
    history.add(record);
    if (!waits) {
      returning.remember(c, record, atNanos);
    }
    if (bus.hears(ListenerEvent.EVICTION)) {
      bus.fire(ListenerEvent.EVICTION, ConnectionEvents.evicted(record));
    }
    return Outcome.CLOSED;
  }

  /**
   * Closes one connection from the calling thread, waiting at most {@code budgetNanos} for its
   * closer; null when the closer did not return in time (its close completes when it does).
   */
  @Nullable Outcome closeOne(
      ConnectionEntry c, EvictionRecord record, long atNanos, long budgetNanos) {
    Outcome[] outcome = new Outcome[1];
    CallWatch watch =
        CallWatch.start(
            supervisor,
            "the closer of connection " + c.id(),
            w -> outcome[0] = close(c, record, atNanos, w));
    try {
      return watch.await(budgetNanos) == null ? outcome[0] : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Closes each of {@code connections} still open, with the record {@code recordFor} makes; a
   * closer that hangs costs one budget and the others are closed all the same. Returns how many
   * closed.
   */
  int closeEach(
      List<ConnectionEntry> connections,
      Function<ConnectionEntry, EvictionRecord> recordFor,
      long atNanos,
      long budgetNanos) {
    int[] done = new int[2]; // [0]: next position, [1]: closed
    while (done[0] < connections.size()) {
      CallWatch watch =
          CallWatch.start(
              supervisor,
              "a closer",
              w -> {
                while (done[0] < connections.size()) {
                  ConnectionEntry c = connections.get(done[0]);
                  if (c.state() == ConnectionEntry.OPEN
                      && close(c, recordFor.apply(c), atNanos, w) == Outcome.CLOSED) {
                    done[1]++;
                  }
                  done[0]++;
                }
              });
      try {
        CallWatch.Stall stall = watch.await(budgetNanos);
        if (stall != null && !stall.started()) {
          break; // every callback thread is held by a hung callback
        }
        if (stall != null) {
          done[0]++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return done[1];
  }
}
