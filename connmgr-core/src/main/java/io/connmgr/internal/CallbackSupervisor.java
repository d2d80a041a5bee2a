package io.connmgr.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where every user callback runs: scorers, vetoes, lease listeners, closers and manager listeners.
 *
 * <p>The pool has {@link #THREADS} daemon threads and no more, however many callbacks hang; work
 * waits in its queue for a free thread. The caller of a callback watches it through a
 * {@link CallWatch} and stops waiting after the callback's budget. A callback thread knows which
 * callback it runs, so calls from a callback back into the manager can be refused by name.
 */
final class CallbackSupervisor {

  /** The most threads the manager ever runs callbacks on. */
  static final int THREADS = 8;

  /** What the current thread runs: a callback's name, or a {@link CallWatch} run. */
  private static final ThreadLocal<@Nullable Object> CURRENT = new ThreadLocal<>();

  private final ThreadPoolExecutor pool;

  CallbackSupervisor() {
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "connmgr-callback-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * Refuses {@code operation} when the current thread runs a callback: the one rule for calls
   * back into the manager's rounds.
   */
  static void ensureNotInCallback(String operation) {
    Object current = CURRENT.get();
    String callback = current instanceof CallWatch watch ? watch.currentCall() : (String) current;
    if (callback != null) {
      throw new IllegalStateException(operation + " must not be called from a callback of the "
          + "connection manager, but " + callback + " called it");
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

  /** Queues work for a callback thread. */
  void execute(Runnable work) {
    try {
      pool.execute(work);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the connection manager is closed", e);
    }
  }

  /** Threads the pool runs now (at most {@link #THREADS}). */
  int threads() {
    return pool.getPoolSize();
  }

  boolean isShutdown() {
    return pool.isShutdown();
  }

  /** Interrupts the callback threads and takes no more work. */
  void shutdown() {
    pool.shutdownNow();
  }
}
