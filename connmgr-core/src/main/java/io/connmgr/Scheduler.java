package io.connmgr;

import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the manager's upkeep later: each pass of {@link ConnectionManager#maintain()} (every
 * {@linkplain ConnectionManager.Builder#maintenanceInterval maintenance interval}) and each
 * emergency round. Given to {@link ConnectionManager.Builder#scheduler}, as Caffeine's {@code
 * Scheduler} is, so an application runs the manager's upkeep on a scheduler it already has (the
 * Spring Boot starter hands it Boot's {@code TaskScheduler}) instead of a thread of the manager's
 * own. One method, so any scheduler adapts in a lambda; {@link #forScheduledExecutorService} adapts
 * a JDK one.
 *
 * <p>The manager schedules one task at a time and schedules the next pass when a pass ends; it
 * cancels the pending one on {@link ConnectionManager#close()} and never shuts the scheduler down.
 * A pass runs on the scheduler's thread and takes at most about one round (a scorer budget per
 * scorer and a callback budget): callbacks run on the manager's callback threads.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Runs {@code task} once after {@code delay} (at once when zero), on a thread of the scheduler.
   *
   * @return a future whose {@code cancel} keeps the task from running if it has not started
   * @throws RejectedExecutionException if the scheduler takes no more tasks (it is shutting down);
   *     the manager's upkeep then stops, which it logs unless the manager is closed
   */
  Future<?> schedule(Runnable task, long delay, TimeUnit unit);

  /** A scheduler running tasks on {@code executor}, which the manager never shuts down. */
  static Scheduler forScheduledExecutorService(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return executor::schedule;
  }
}
