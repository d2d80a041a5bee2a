package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the manager's background upkeep ({@link ConnectionManager#maintain()}) while the
 * application context runs: it starts with the context and stops on shutdown. Stopping closes no
 * connection unless {@code connmgr.close-on-shutdown} is true, in which case every open
 * connection is closed through its closer (so a WebSocket peer is told why).
 *
 * <p>Its phase is the default, the last to start and the first to stop: connections are closed
 * before the web server stops, while their transports can still say goodbye.
 */
public final class ConnectionManagerLifecycle implements SmartLifecycle {

  /** The reason given to each connection closed at shutdown. */
  public static final String SHUTDOWN_REASON = "server shutting down";

  private static final Log LOG = LogFactory.getLog(ConnectionManagerLifecycle.class);

  private final ConnectionManager manager;
  private final Duration interval;
  private final boolean closeOnShutdown;
  private final Object monitor = new Object();
  private @Nullable ScheduledExecutorService upkeep;
  private volatile boolean running;

  /**
   * Creates the lifecycle.
   *
   * @param interval the period of upkeep; zero for none (explicit trims only)
   * @param closeOnShutdown whether {@link #stop()} closes every open connection
   */
  public ConnectionManagerLifecycle(ConnectionManager manager, Duration interval,
      boolean closeOnShutdown) {
    this.manager = manager;
    this.interval = interval;
    this.closeOnShutdown = closeOnShutdown;
  }

  @Override
  public void start() {
    synchronized (monitor) {
      if (running) {
        return;
      }
      if (!interval.isZero() && !interval.isNegative()) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "connmgr-upkeep");
          t.setDaemon(true);
          return t;
        });
        long period = interval.toNanos();
        executor.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
        upkeep = executor;
      }
      running = true;
    }
  }

  @Override
  public void stop() {
    synchronized (monitor) {
      if (!running) {
        return;
      }
      running = false;
      ScheduledExecutorService executor = upkeep;
      upkeep = null;
      if (executor != null) {
        executor.shutdown();
        try {
          if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
          }
        } catch (InterruptedException e) {
          executor.shutdownNow();
          Thread.currentThread().interrupt();
        }
      }
      if (closeOnShutdown && !manager.isClosed()) {
        int closed = manager.closeAll(SHUTDOWN_REASON);
        LOG.info("connmgr closed " + closed + " connection(s) on shutdown");
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Whether background upkeep is scheduled (running, with a positive interval). */
  public boolean isUpkeepScheduled() {
    return upkeep != null;
  }

  private void tick() {
    try {
      manager.maintain();
    } catch (RuntimeException e) {
      if (!manager.isClosed()) {
        LOG.warn("connmgr upkeep failed; it runs again in " + interval, e);
      }
    }
  }
}
