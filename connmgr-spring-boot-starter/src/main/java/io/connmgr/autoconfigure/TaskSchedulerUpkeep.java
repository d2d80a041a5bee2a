package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Runs the manager's upkeep ({@link ConnectionManager#maintain()} every {@code
 * connmgr.maintenance-interval}, and emergency rounds) on Spring's task scheduler: Boot's {@code
 * taskScheduler} when the application has one (scheduling enabled), otherwise one the starter
 * builds with Boot's {@code ThreadPoolTaskSchedulerBuilder} ({@code spring.task.scheduling.*}
 * apply; its threads are {@code connmgr-scheduling-<n>}) and keeps to itself, not as a bean, so it
 * never becomes another {@code TaskScheduler} candidate for {@code @Scheduled}.
 *
 * <p>The manager depends on this bean, so the context closes the manager first and then shuts the
 * starter's own scheduler down. Boot's scheduler stops taking tasks when the context starts
 * closing; upkeep then simply ends (no warning), before the manager closes.
 */
final class TaskSchedulerUpkeep implements Scheduler, DisposableBean {

  /** The thread name prefix of the scheduler the starter builds when the application has none. */
  static final String OWN_THREAD_PREFIX = "connmgr-scheduling-";

  private final TaskScheduler scheduler;
  private final @Nullable ThreadPoolTaskScheduler own;
  private final BooleanSupplier contextClosing;

  private TaskSchedulerUpkeep(
      TaskScheduler scheduler,
      @Nullable ThreadPoolTaskScheduler own,
      BooleanSupplier contextClosing) {
    this.scheduler = scheduler;
    this.own = own;
    this.contextClosing = contextClosing;
  }

  /** Upkeep on the application's scheduler, which this never shuts down. */
  static TaskSchedulerUpkeep on(TaskScheduler shared, BooleanSupplier contextClosing) {
    return new TaskSchedulerUpkeep(shared, null, contextClosing);
  }

  /** Upkeep on a scheduler of the starter's own, shut down by {@link #destroy()}. */
  static TaskSchedulerUpkeep onOwn(ThreadPoolTaskScheduler own, BooleanSupplier contextClosing) {
    own.initialize();
    return new TaskSchedulerUpkeep(own, own, contextClosing);
  }

  @Override
  public Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
    try {
      return scheduler.schedule(
          task, scheduler.getClock().instant().plus(Duration.ofNanos(unit.toNanos(delay))));
    } catch (TaskRejectedException e) {
      if (contextClosing.getAsBoolean()) {
        return CompletableFuture.completedFuture(null);
      }
      throw e;
    }
  }

  /** Whether upkeep runs on a scheduler of the starter's own (the application has none). */
  boolean ownsItsScheduler() {
    return own != null;
  }

  /** Shuts the starter's own scheduler down (after the manager closed); leaves a shared one. */
  @Override
  public void destroy() {
    if (own != null) {
      own.shutdown();
    }
  }
}
