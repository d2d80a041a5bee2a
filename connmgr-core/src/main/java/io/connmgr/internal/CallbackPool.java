package io.connmgr.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The manager's own callback threads: at most a fixed number, an idle one reused before another is
 * started, each but the last idle one ending after a keep-alive without work; work waits in a queue
 * while all are busy.
 *
 * <p>The last idle thread stays until shutdown: a service trims a few times an hour, and a round
 * that found no thread would start one (about 0.6 ms on a small virtual machine, more than a round
 * of 1 000 connections takes) and run on a thread that had never run anything.
 *
 * <p>{@link java.util.concurrent.ThreadPoolExecutor} does not fit: below its core size it starts a
 * new thread for every task even while others idle, and above it it queues rather than starts one,
 * so a pool that may grow to eight threads for hung callbacks would start a thread for each of its
 * first eight rounds (half a millisecond apiece on a small virtual machine, more than a round of 1
 * 000 connections takes) and again after every keep-alive.
 */
final class CallbackPool implements Executor {

  private final int maxThreads;
  private final long keepAliveNanos;
  private final ThreadFactory threads;
  private final ReentrantLock lock = new ReentrantLock();

  /** Idle workers, the most recently idle last: it is handed the next work (its caches warm). */
  private final ArrayDeque<Worker> idle = new ArrayDeque<>();

  /** Work no worker was free for. */
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

  private final ArrayDeque<Worker> all = new ArrayDeque<>();

  /** Written under the lock; read without it by idle workers, which must take no lock to park. */
  private volatile boolean shutdown;

  CallbackPool(int maxThreads, long keepAlive, TimeUnit unit, ThreadFactory threads) {
    this.maxThreads = maxThreads;
    this.keepAliveNanos = unit.toNanos(keepAlive);
    this.threads = threads;
  }

  /** Starts one idle worker, so that the first work does not wait for a thread to start. */
  void prestart() {
    lock.lock();
    try {
      if (!shutdown && all.isEmpty()) {
        start(null);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void execute(Runnable work) {
    Worker handedTo;
    lock.lock();
    try {
      if (shutdown) {
        throw new RejectedExecutionException("the callback threads are shut down");
      }
      handedTo = idle.pollLast();
      if (handedTo != null) {
        handedTo.next = work;
      } else if (all.size() < maxThreads) {
        start(work);
      } else {
        queue.addLast(work);
      }
    } finally {
      lock.unlock();
    }
    if (handedTo != null) {
      LockSupport.unpark(handedTo.thread);
    }
  }

  /** Threads running now: busy or idle. */
  int threadCount() {
    lock.lock();
    try {
      return all.size();
    } finally {
      lock.unlock();
    }
  }

  /** Takes no more work, drops what waits, and interrupts every worker. */
  void shutdownNow() {
    lock.lock();
    try {
      shutdown = true;
      queue.clear();
      for (Worker w : all) {
        w.thread.interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private void start(@Nullable Runnable first) {
    Worker w = new Worker(first);
    all.add(w);
    if (first == null) {
      idle.addLast(w);
    }
    try {
      w.thread.start();
    } catch (OutOfMemoryError e) {
      all.remove(w);
      idle.remove(w);
      throw new RejectedExecutionException("no callback thread could be started: " + e, e);
    }
  }

  private final class Worker implements Runnable {

    private final Thread thread;

    /** Handed over by {@link #execute} under the lock; read by this worker's thread. */
    private volatile @Nullable Runnable next;

    Worker(@Nullable Runnable first) {
      this.next = first;
      this.thread = threads.newThread(this);
    }

    @Override
    public void run() {
      Runnable work = awaitWork();
      while (work != null) {
        try {
          work.run();
        } catch (Throwable e) { // a checked exception nobody declared must not end the thread
          Thread t = Thread.currentThread();
          t.getUncaughtExceptionHandler().uncaughtException(t, e);
        }
        Thread.interrupted(); // an interrupt meant for the work ends with it
        work = nextWork();
      }
    }

    /** Queued work, or null once idle past the keep-alive or shut down. */
    private @Nullable Runnable nextWork() {
      lock.lock();
      try {
        Runnable queued = queue.pollFirst();
        if (queued != null) {
          return queued;
        }
        if (shutdown) {
          all.remove(this);
          return null;
        }
        next = null;
        idle.addLast(this);
      } finally {
        lock.unlock();
      }
      return awaitWork();
    }

    /**
     * Parks until handed work; null (and gone from the pool) after the keep-alive, unless it is the
     * last idle thread, or at shutdown. Takes no lock between reading {@link #next} and parking: a
     * contended lock may park and use up the unpark that {@link #execute} sent after handing work
     * over, and the work would wait out the keep-alive.
     */
    private @Nullable Runnable awaitWork() {
      long deadline = System.nanoTime() + keepAliveNanos;
      for (; ; ) {
        Runnable work = next;
        if (work != null) {
          return work;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || shutdown) {
          lock.lock();
          try {
            work = next;
            if (work != null) {
              return work; // handed over just now
            }
            if (!shutdown && idle.size() == 1) {
              deadline = System.nanoTime() + keepAliveNanos; // the last idle thread stays
              continue;
            }
            idle.remove(this);
            all.remove(this);
            return null;
          } finally {
            lock.unlock();
          }
        }
        LockSupport.parkNanos(this, left);
        Thread.interrupted(); // only shutdown's interrupt means anything to an idle worker
      }
    }
  }
}
