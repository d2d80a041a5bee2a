package io.connmgr.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one factory of the manager's own threads: daemon threads (they never keep a JVM alive) named
 * after the manager and their job, {@code connmgr-<manager>-callback-<n>} and {@code
 * connmgr-<manager>-upkeep}, so a thread dump says whose they are.
 */
final class DaemonThreads implements ThreadFactory {

  private final String name;
  private final boolean numbered;
  private final AtomicInteger created = new AtomicInteger();

  private DaemonThreads(String name, boolean numbered) {
    this.name = name;
    this.numbered = numbered;
  }

  /** Threads named {@code prefix} followed by 1, 2, ... */
  static DaemonThreads numbered(String prefix) {
    return new DaemonThreads(prefix, true);
  }

  /** Threads named {@code name}: for a pool of one thread. */
  static DaemonThreads named(String name) {
    return new DaemonThreads(name, false);
  }

  @Override
  public Thread newThread(Runnable work) {
    int n = created.incrementAndGet();
    Thread thread = new Thread(work, numbered ? name + n : name);
    thread.setDaemon(true);
    return thread;
  }
}
