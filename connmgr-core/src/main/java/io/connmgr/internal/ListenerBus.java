package io.connmgr.internal;

import io.connmgr.ConnectionManagerListener;
import io.connmgr.Registration;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The registered listeners. Each has a lane of its own: the events of the kinds it hears (those of
 * the {@link ListenerEvent} methods it overrides) wait in the lane's bounded queue and one callback
 * thread at a time delivers them in order, so no listener runs on the thread that caused the event
 * (the upkeep thread, a round, a transport). A listener that blocks holds its own lane's thread:
 * once it has made no progress within the callback budget and {@link #STUCK_QUEUE} events wait, its
 * further events are dropped and counted, and every other listener goes on receiving its own. A
 * listener that is merely behind (a round of 100 000 closes sends a listener of closes and
 * evictions 200 000 events at once) keeps every event, up to {@link #MAX_QUEUE} waiting.
 */
final class ListenerBus {

  /** Events a stuck listener may have waiting before its further events are dropped. */
  static final int STUCK_QUEUE = 4096;

  /** Events any listener may have waiting, stuck or not: what bounds a slow one's memory. */
  static final int MAX_QUEUE = 1 << 20;

  /** {@link System#nanoTime()} of a lane that is not delivering an event. */
  private static final long IDLE = Long.MIN_VALUE;

  private static final System.Logger LOG = System.getLogger(ListenerBus.class.getName());

  private final CallbackSupervisor supervisor;
  private final List<Lane> lanes = new CopyOnWriteArrayList<>();

  /** The kinds of event some registered listener hears ({@link ListenerEvent#bit}); set in add. */
  private volatile int heard;

  /** Lanes with events queued or being heard, registered or not any more. */
  private final Set<Lane> delivering = ConcurrentHashMap.newKeySet();

  private final AtomicLong dropped = new AtomicLong();

  /** The batch holding the current thread's events, if a round holds them. */
  private final ThreadLocal<@Nullable Batch> held = new ThreadLocal<>();

  private final long stuckNanos;

  /**
   * Listeners run on {@code supervisor}; one that makes no progress for {@code stuckNanos} is
   * stuck.
   */
  ListenerBus(CallbackSupervisor supervisor, long stuckNanos) {
    this.supervisor = supervisor;
    this.stuckNanos = stuckNanos;
  }

  synchronized Registration add(ConnectionManagerListener listener) {
    Lane lane = new Lane(listener);
    lanes.add(lane);
    heard |= lane.hears;
    return () -> remove(lane);
  }

  private synchronized void remove(Lane lane) {
    lanes.remove(lane);
    int still = 0;
    for (Lane l : lanes) {
      still |= l.hears;
    }
    heard = still;
  }

  /**
   * Whether some listener hears {@code kind}: a caller whose event costs something to build (a
   * round's scores) or that sends one per connection asks first.
   */
  boolean hears(ListenerEvent kind) {
    return (heard & kind.bit()) != 0;
  }

  /** Sends {@code event}, of {@code kind}, to each listener that hears that kind. */
  void fire(ListenerEvent kind, Consumer<ConnectionManagerListener> event) {
    if (!hears(kind)) {
      return;
    }
    Batch batch = held.get();
    if (batch != null && batch.add(kind, event)) {
      return;
    }
    offerToAll(kind, event);
  }

  private void offerToAll(ListenerEvent kind, Consumer<ConnectionManagerListener> event) {
    for (Lane lane : lanes) {
      if ((lane.hears & kind.bit()) != 0) {
        lane.offer(event);
      }
    }
  }

  /** A batch for a round's events; see {@link #holding}. */
  Batch batch() {
    return new Batch();
  }

  /**
   * Runs {@code body} with the events it fires on this thread held in {@code batch}, so that a
   * round hands each listener its events a {@link Batch#CHUNK} at a time rather than one thread
   * hand-off per event.
   */
  void holding(Batch batch, Runnable body) {
    Batch outer = held.get();
    held.set(batch);
    try {
      body.run();
    } finally {
      held.set(outer);
    }
  }

  /**
   * Events held back while a round runs, in order; handed to the listeners' lanes a chunk at a time
   * and at {@link #release}. Once released, further events (a late closer's) go straight to the
   * lanes, after the held ones.
   */
  final class Batch {

    /** Events held at most before they are handed on: bounds what a round holds back. */
    static final int CHUNK = 1024;

    private final List<ListenerEvent> kinds = new ArrayList<>();
    private final List<Consumer<ConnectionManagerListener>> events = new ArrayList<>();
    private boolean released;

    private Batch() {}

    /** Holds {@code event}; false when the batch was released (send it straight on). */
    synchronized boolean add(ListenerEvent kind, Consumer<ConnectionManagerListener> event) {
      if (released) {
        return false;
      }
      kinds.add(kind);
      events.add(event);
      if (events.size() >= CHUNK) {
        handOn();
      }
      return true;
    }

    /** Hands the held events on and holds no more; from any thread, once the round ended. */
    synchronized void release() {
      released = true;
      handOn();
    }

    private void handOn() {
      for (int i = 0; i < events.size(); i++) {
        offerToAll(kinds.get(i), events.get(i));
      }
      kinds.clear();
      events.clear();
    }
  }

  /**
   * Waits until every listener has heard the events it was registered for, or {@code nanos} passed
   * (a stuck listener never does); for shutdown, so listeners hear the manager's last events, even
   * one whose registration was closed just before.
   */
  void drain(long nanos) {
    long deadline = System.nanoTime() + nanos;
    while (!delivering.isEmpty() && deadline - System.nanoTime() > 0) {
      LockSupport.parkNanos(1_000_000L);
    }
  }

  /** Events dropped because their listener's queue was full, over the manager's life. */
  long dropped() {
    return dropped.get();
  }

  /** One listener's queue and its delivery. */
  private final class Lane implements Runnable {
    private final ConnectionManagerListener listener;
    private final String name;

    /** The kinds of event the listener hears ({@link ListenerEvent#bit}). */
    private final int hears;

    private final ArrayDeque<Consumer<ConnectionManagerListener>> queue = new ArrayDeque<>();

    /** Whether a callback thread has this lane's delivery queued or running; guarded by this. */
    private boolean scheduled;

    private boolean warned;

    /** When the event being delivered started, or {@link #IDLE}. */
    private volatile long busySince = IDLE;

    Lane(ConnectionManagerListener listener) {
      this.listener = listener;
      this.name = "the listener " + listener.getClass().getName();
      int kinds = 0;
      for (ListenerEvent kind : ListenerEvent.values()) {
        if (kind.heardBy(listener)) {
          kinds |= kind.bit();
        }
      }
      this.hears = kinds;
    }

    void offer(Consumer<ConnectionManagerListener> event) {
      boolean start;
      synchronized (this) {
        int waiting = queue.size();
        if (waiting >= MAX_QUEUE || (waiting >= STUCK_QUEUE && stuck())) {
          dropped.incrementAndGet();
          if (!warned) {
            warned = true;
            LOG.log(
                Level.WARNING,
                "connmgr "
                    + name
                    + " has "
                    + waiting
                    + " events waiting and "
                    + (waiting >= MAX_QUEUE
                        ? "is too slow"
                        : "made no progress within the callback" + " budget")
                    + "; its further events are dropped (counted) until it catches up");
          }
          return;
        }
        queue.addLast(event);
        start = !scheduled;
        scheduled = true;
        delivering.add(this);
      }
      if (start) {
        try {
          supervisor.execute(this);
        } catch (IllegalStateException closed) {
          synchronized (this) {
            queue.clear();
            scheduled = false;
            delivering.remove(this);
          }
        } catch (RejectedExecutionException refused) {
          synchronized (this) {
            scheduled = false;
            delivering.remove(this);
            if (!warned) {
              warned = true;
              LOG.log(
                  Level.WARNING,
                  "connmgr: the callback executor refused to deliver events to "
                      + name
                      + " ("
                      + refused.getMessage()
                      + "); they wait, up to "
                      + MAX_QUEUE
                      + ", for its next event");
            }
          }
        }
      }
    }

    /** Whether the event being delivered has run longer than the budget. */
    private boolean stuck() {
      long since = busySince;
      return since != IDLE && System.nanoTime() - since > stuckNanos;
    }

    @Override
    public void run() {
      CallbackSupervisor.inside(name, this::deliverAll);
    }

    /** Delivers the queued events, in order, until none waits; null. */
    private @Nullable Void deliverAll() {
      for (; ; ) {
        Consumer<ConnectionManagerListener> event;
        synchronized (this) {
          event = queue.pollFirst();
          if (event == null) {
            scheduled = false;
            warned = false;
            delivering.remove(this);
            return null;
          }
        }
        busySince = System.nanoTime();
        try {
          event.accept(listener);
        } catch (Throwable e) {
          // whatever the listener threw (see CallbackFailed), thrown on, would leave its lane
          // scheduled with no thread delivering: it would never hear another event
          LOG.log(Level.WARNING, "connmgr " + name + " failed; ignored", e);
        } finally {
          busySince = IDLE;
        }
      }
    }
  }
}
