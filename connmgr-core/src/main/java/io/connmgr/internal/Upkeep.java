package io.connmgr.internal;

import io.connmgr.Registration;
import io.connmgr.Scheduler;
import java.lang.System.Logger.Level;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The manager's upkeep: {@link #maintain()} (a decay pass, elapsed leases that need no call
 * released, stale temporary entries dropped, an automatic round when above high water), run every
 * maintenance interval when the settings ask for it, and an emergency round on heap pressure, both
 * on the scheduler the builder was given or else on one thread of the manager's own, {@code
 * <managerName>-upkeep}, started when first needed.
 */
public final class Upkeep {

  private static final System.Logger LOG = System.getLogger(Upkeep.class.getName());

  private final OpenState open;
  private final Clock clock;
  private final DecayingTags decaying;
  private final Leases leases;
  private final PeerTable table;
  private final Rounds rounds;
  private final long graceNanos;
  private final long periodNanos;
  private final Scheduler scheduler;

  /** The manager's own scheduler thread's pool, or null when the scheduler is the application's. */
  private final @Nullable ScheduledThreadPoolExecutor ownThread;

  private final @Nullable Registration pressureWatch;
  private final Object schedule = new Object();

  /** The pass scheduled next; guarded by {@link #schedule}. */
  private @Nullable Future<?> next;

  /** Set when the manager closes; guarded by {@link #schedule}. */
  private boolean stopped;

  /** Schedules the first pass and watches heap pressure, as the settings ask. */
  Upkeep(
      ManagerSettings settings,
      @Nullable Scheduler scheduler,
      String managerName,
      OpenState open,
      Clock clock,
      DecayingTags decaying,
      Leases leases,
      PeerTable table,
      Rounds rounds) {
    this.open = open;
    this.clock = clock;
    this.decaying = decaying;
    this.leases = leases;
    this.table = table;
    this.rounds = rounds;
    this.graceNanos = settings.gracePeriod().toNanos();
    this.periodNanos = settings.maintenanceInterval().toNanos();
    if (scheduler == null) {
      ScheduledThreadPoolExecutor thread =
          new ScheduledThreadPoolExecutor(1, DaemonThreads.named(managerName + "-upkeep"));
      thread.setRemoveOnCancelPolicy(true);
      this.ownThread = thread;
      this.scheduler = Scheduler.forScheduledExecutorService(thread);
    } else {
      this.ownThread = null;
      this.scheduler = scheduler;
    }
    this.pressureWatch =
        settings.emergencyHeapThreshold() > 0
            ? settings
                .memoryPressure()
                .watch(settings.emergencyHeapThreshold(), this::onMemoryPressure)
            : null;
    if (periodNanos > 0) {
      scheduleNext();
    }
  }

  /** See {@link io.connmgr.ConnectionManager#maintain}. */
  public void maintain() {
    open.ensureOpen();
    CallbackSupervisor.ensureNotInCallback("maintain()");
    decaying.decay();
    long now = clock.nanos();
    leases.releaseElapsed(now);
    table.dropTemporariesSeenBefore(now - graceNanos);
    rounds.automatic(now);
  }

  private void onMemoryPressure() {
    if (!open.isClosed()) {
      submit(this::emergency, 0);
    }
  }

  private void emergency() {
    try {
      rounds.emergencyTrim();
    } catch (Throwable e) {
      if (!open.isClosed()) {
        LOG.log(Level.WARNING, "connmgr emergency round failed", e);
      }
    }
  }

  private void tick() {
    try {
      maintain();
    } catch (IllegalStateException e) {
      if (!open.isClosed()) {
        LOG.log(Level.WARNING, "connmgr upkeep failed", e);
      }
    } catch (Throwable e) {
      // whatever a pass threw (an error from a callback included), the next pass runs: a throw
      // here would end upkeep for good
      LOG.log(Level.WARNING, "connmgr upkeep failed", e);
    }
    scheduleNext();
  }

  /** Schedules the next pass, unless the manager closed. */
  private void scheduleNext() {
    synchronized (schedule) {
      if (!stopped) {
        next = submit(this::tick, periodNanos);
      }
    }
  }

  /**
   * Hands {@code task} (a pass, or an emergency round when {@code delayNanos} is 0) to the
   * scheduler. When it refuses, a pass ends upkeep and an emergency round does not run; either is
   * logged unless the manager is closed.
   */
  private @Nullable Future<?> submit(Runnable task, long delayNanos) {
    try {
      return scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (!open.isClosed()) {
        LOG.log(
            Level.WARNING,
            "connmgr: the scheduler refused the next "
                + (delayNanos > 0
                    ? "upkeep pass; upkeep stopped, maintain() runs only when called"
                    : "emergency round; it does not run"),
            e);
      }
      return null;
    }
  }

  /** Starts nothing new: the pressure watch ends, the pending pass is cancelled. */
  void stopStarting() {
    if (pressureWatch != null) {
      pressureWatch.close();
    }
    synchronized (schedule) {
      stopped = true;
      if (next != null) {
        next.cancel(false);
      }
    }
    if (ownThread != null) {
      ownThread.shutdown();
    }
  }

  /** Interrupts what the manager's own upkeep thread still runs; an application's is left be. */
  void stopNow() {
    if (ownThread != null) {
      ownThread.shutdownNow();
    }
  }
}
