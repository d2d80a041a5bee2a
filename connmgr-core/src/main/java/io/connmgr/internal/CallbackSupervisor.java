package io.connmgr.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where every user callback runs: scorers, vetoes, lease listeners, closers and manager listeners.
 *
 * <p>Callbacks run on the executor the builder was given, or else on a {@link CallbackPool} of the
 * manager's own with {@link #THREADS} daemon threads and no more, however many callbacks hang; work
 * waits in its queue for a free thread. The pool starts one thread with the manager, so that a
 * round does not wait for a thread to start, and ends any thread idle for 30 seconds but the last
 * idle one. The caller of a callback watches it through a {@link CallWatch} and stops waiting after
 * the callback's budget. A callback thread knows which callback it runs, so calls from a callback
 * back into the manager can be refused by name. A callback never runs on the thread that hands it
 * over (an executor that would, such as one with a caller-runs policy, counts as refusing): a hang
 * there could not be taken back.
 */
final class CallbackSupervisor {

  /** The most threads the manager's own pool ever runs callbacks on. */
  static final int THREADS = 8;

  /** What the current thread runs: a callback's name, or a {@link CallWatch} run. */
  private static final ThreadLocal<@Nullable Object> CURRENT = new ThreadLocal<>();

  /** Set while the current thread hands work to the executor. */
  private static final ThreadLocal<Boolean> HANDING_OVER = ThreadLocal.withInitial(() -> false);

  private final Executor executor;

  /** The manager's own pool, or null when the executor is the application's. */
  private final @Nullable CallbackPool ownPool;

  private volatile boolean shutdown;

  /**
   * Runs callbacks on {@code executor}, or, when null, on a pool of its own whose threads are named
   * {@code <managerName>-callback-<n>}.
   */
  CallbackSupervisor(@Nullable Executor executor, String managerName) {
    if (executor == null) {
      CallbackPool pool =
          new CallbackPool(
              THREADS, 30, TimeUnit.SECONDS, DaemonThreads.numbered(managerName + "-callback-"));
      pool.prestart();
      this.ownPool = pool;
      this.executor = pool;
    } else {
      this.ownPool = null;
      this.executor = executor;
    }
  }

  /**
   * Refuses {@code operation} when the current thread runs a callback: the one rule for calls back
   * into the manager's rounds.
   */
  static void ensureNotInCallback(String operation) {
    Object current = CURRENT.get();
    String callback = current instanceof CallWatch watch ? watch.currentCall() : (String) current;
    if (callback != null) {
      throw new IllegalStateException(
          operation
              + " must not be called from a callback of the "
              + "connection manager, but "
              + callback
              + " called it");
    }
  }

  /**
   * Runs {@code body} with the current thread marked as running {@code callback}: a callback's
   * name, or a {@link CallWatch} whose current call names it.
   */
  static <T> T inside(Object callback, Supplier<T> body) {
    Object outer = CURRENT.get();
    CURRENT.set(callback);
    try {
      return body.get();
    } finally {
      CURRENT.set(outer);
    }
  }

  /**
   * Hands work to a callback thread.
   *
   * @throws IllegalStateException if the manager is closed
   * @throws RejectedExecutionException if the executor refused the work, or would have run it on
   *     this thread
   */
  void execute(Runnable work) {
    if (shutdown) {
      throw new IllegalStateException("the connection manager is closed");
    }
    HANDING_OVER.set(true);
    try {
      executor.execute(
          () -> {
            if (HANDING_OVER.get()) {
              throw new RejectedExecutionException(
                  "it would run the callback on the thread that "
                      + "handed it over (a caller-runs policy or a direct executor)");
            }
            work.run();
          });
    } catch (RejectedExecutionException e) {
      if (shutdown) {
        throw new IllegalStateException("the connection manager is closed", e);
      }
      throw e;
    } finally {
      HANDING_OVER.set(false);
    }
  }

  /** How the executor is described when no thread of it took work up in time. */
  String describeExecutor() {
    return ownPool == null ? "the callback executor" : "the " + THREADS + " callback threads";
  }

  boolean isShutdown() {
    return shutdown;
  }

  /**
   * Takes no more work and interrupts the callback threads of the manager's own pool; an
   * application's executor is left running.
   */
  void shutdown() {
    shutdown = true;
    if (ownPool != null) {
      ownPool.shutdownNow();
    }
  }
}
