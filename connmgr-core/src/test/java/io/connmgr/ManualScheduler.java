package io.connmgr;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Scheduler} that runs nothing by itself: a test runs what is due, on its own thread, when
 * it moves its clock. Counts what it was given.
 */
final class ManualScheduler implements Scheduler {

  /** A task waiting for the test, with the delay the manager asked for. */
  record Pending(Runnable task, long delayNanos, CompletableFuture<Void> future) {}

  private final List<Pending> pending = new ArrayList<>();
  final AtomicInteger scheduled = new AtomicInteger();
  final AtomicInteger ran = new AtomicInteger();

  @Override
  public synchronized Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
    scheduled.incrementAndGet();
    Pending p = new Pending(task, unit.toNanos(delay), new CompletableFuture<>());
    pending.add(p);
    return p.future();
  }

  /** The tasks waiting, cancelled ones left out. */
  synchronized List<Pending> pending() {
    return pending.stream().filter(p -> !p.future().isCancelled()).toList();
  }

  /** Runs every task waiting now (not those they schedule), as if their delay had passed. */
  void runPending() {
    List<Pending> due;
    synchronized (this) {
      due = List.copyOf(pending);
      pending.clear();
    }
    for (Pending p : due) {
      if (!p.future().isCancelled()) {
        ran.incrementAndGet();
        p.task().run();
        p.future().complete(null);
      }
    }
  }
}
