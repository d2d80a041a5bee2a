package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every open connection through its closer when the application context stops, if {@code
 * connmgr.close-on-shutdown} is true (so a WebSocket peer is told why); otherwise stopping closes
 * nothing. Upkeep is not its business: the manager runs it on Spring's task scheduler, and the
 * context closes the manager after every lifecycle stopped.
 *
 * <p>Its phase is the default, the last to start and the first to stop: connections are closed
 * before the web server stops, while their transports can still say goodbye.
 */
public final class ConnectionManagerLifecycle implements SmartLifecycle {

  /** The reason given to each connection closed at shutdown. */
  public static final String SHUTDOWN_REASON = "server shutting down";

  private static final Log LOG = LogFactory.getLog(ConnectionManagerLifecycle.class);

  private final ConnectionManager manager;
  private final boolean closeOnShutdown;
  private volatile boolean running;

  /**
   * Creates the lifecycle.
   *
   * @param closeOnShutdown whether {@link #stop()} closes every open connection
   */
  public ConnectionManagerLifecycle(ConnectionManager manager, boolean closeOnShutdown) {
    this.manager = manager;
    this.closeOnShutdown = closeOnShutdown;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    if (closeOnShutdown && !manager.isClosed()) {
      int closed = manager.closeAll(SHUTDOWN_REASON);
      LOG.info("connmgr closed " + closed + " connection(s) on shutdown");
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
