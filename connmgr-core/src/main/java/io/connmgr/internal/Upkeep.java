package io.connmgr.internal;

import io.connmgr.Registration;
import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The manager's upkeep: {@link #maintain()} (a decay pass, stale temporary entries dropped, an
 * automatic round when above high water), run every maintenance interval on a thread of its own
 * when the settings ask for it, and an emergency round on heap pressure, run on another.
 */
public final class Upkeep {

  private static final System.Logger LOG = System.getLogger(Upkeep.class.getName());

  private final OpenState open;
  private final Clock clock;
  private final DecayingTags decaying;
  private final PeerTable table;
  private final Rounds rounds;
  private final long graceNanos;
  private final @Nullable Registration pressureWatch;
  private final @Nullable ExecutorService emergencyThread;
  private final @Nullable ScheduledExecutorService ticks;

  /** Starts the background threads the settings ask for. */
  Upkeep(ManagerSettings settings, OpenState open, Clock clock, DecayingTags decaying,
      PeerTable table, Rounds rounds) {
    this.open = open;
    this.clock = clock;
    this.decaying = decaying;
    this.table = table;
    this.rounds = rounds;
    this.graceNanos = settings.gracePeriod().toNanos();
    if (settings.emergencyHeapThreshold() > 0) {
      this.emergencyThread = Executors.newSingleThreadExecutor(daemonThreads("connmgr-emergency-"));
      this.pressureWatch = settings.memoryPressure().watch(settings.emergencyHeapThreshold(),
          this::onMemoryPressure);
    } else {
      this.emergencyThread = null;
      this.pressureWatch = null;
    }
    if (settings.maintenanceInterval().isZero()) {
      this.ticks = null;
    } else {
      this.ticks = Executors.newSingleThreadScheduledExecutor(daemonThreads("connmgr-upkeep-"));
      long period = settings.maintenanceInterval().toNanos();
      ticks.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
    }
  }

  /** See {@link io.connmgr.ConnectionManager#maintain}. */
  public void maintain() {
    open.ensureOpen();
    CallbackSupervisor.ensureNotInCallback("maintain()");
    decaying.decay();
    long now = clock.nanos();
    table.dropTemporariesSeenBefore(now - graceNanos);
    rounds.automatic(now);
  }

  private void onMemoryPressure() {
    ExecutorService thread = emergencyThread;
    if (thread != null && !open.isClosed()) {
      thread.execute(() -> {
        try {
          rounds.emergencyTrim();
        } catch (RuntimeException e) {
          if (!open.isClosed()) {
            LOG.log(Level.WARNING, "connmgr emergency round failed", e);
          }
        }
      });
    }
  }

  private void tick() {
    try {
      maintain();
    } catch (IllegalStateException e) {
      if (!open.isClosed()) {
        LOG.log(Level.WARNING, "connmgr upkeep failed", e);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "connmgr upkeep failed", e);
    }
  }

  /** Starts nothing new: the pressure watch ends, the threads finish what they run. */
  void stopStarting() {
    if (pressureWatch != null) {
      pressureWatch.close();
    }
    if (ticks != null) {
      ticks.shutdown();
    }
    if (emergencyThread != null) {
      emergencyThread.shutdown();
    }
  }

  /** Interrupts what the threads still run. */
  void stopNow() {
    if (ticks != null) {
      ticks.shutdownNow();
    }
    if (emergencyThread != null) {
      emergencyThread.shutdownNow();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
