package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A closer's call reads no clock: the watcher notes when it first saw the call. Such a call is
 * never given up on before its budget, counted from its own start however long the calls before it
 * took, and is given up on within an eighth of a budget after it (plus the machine's scheduling
 * slack). Real threads and real time: the watch is the manager's own clock-free watchdog.
 */
class CallWatchTest {

  private static final long BUDGET = TimeUnit.MILLISECONDS.toNanos(200);

  private final CallbackSupervisor supervisor = new CallbackSupervisor(null, "call-watch-test");

  @AfterEach
  void stop() {
    supervisor.shutdown();
  }

  /** Starts {@code steps} on a callback thread, as a round's run of calls. */
  private CallWatch run(Consumer<CallWatch> steps) {
    return CallWatch.start(supervisor, "the round's callbacks", steps);
  }

  /** One closer's call as a round makes it: named by connection, no clock read by the worker. */
  private static void closerCall(CallWatch watch, long connection, Runnable closer) {
    returnsAfter(watch, watch.calling("the closer of connection ", connection), closer);
  }

  /** Runs the body of the watched call {@code call}, then ends it. */
  private static void returnsAfter(CallWatch watch, long call, Runnable body) {
    try {
      body.run();
    } finally {
      watch.returned(call, null);
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitRelease(CountDownLatch release) {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void callsEachTakingMostOfTheBudgetAreNeverGivenUpOn() throws InterruptedException {
    // three calls of three quarters of a budget back to back: were a call timed from when the
    // watcher saw an earlier one, the second would be given up on 50 ms into it
    CallWatch watch =
        run(
            w -> {
              for (int k = 1; k <= 3; k++) {
                closerCall(w, k, () -> sleepMillis(150));
              }
            });

    assertThat(watch.await(BUDGET)).isNull();
  }

  @Test
  void aHungCallAfterManyQuickOnesIsGivenUpOnWithinAnEighthOfABudgetAfterItsOwn()
      throws InterruptedException {
    AtomicLong hungAt = new AtomicLong();
    CountDownLatch release = new CountDownLatch(1);
    CallWatch watch =
        run(
            w -> {
              for (int k = 1; k <= 10_000; k++) {
                closerCall(w, k, () -> {});
              }
              hungAt.set(System.nanoTime()); // before the call starts: no stamp is earlier
              closerCall(w, 10_001, () -> awaitRelease(release));
            });

    CallWatch.Stall stall = watch.await(BUDGET);
    long waited = System.nanoTime() - hungAt.get();
    release.countDown();

    assertThat(stall).isNotNull();
    assertThat(stall.started()).isTrue();
    assertThat(stall.callback()).isEqualTo("the closer of connection 10001");
    assertThat(waited).isGreaterThanOrEqualTo(BUDGET);
    // an eighth of a budget for the watcher's look, and as much again for a loaded machine
    assertThat(waited).isLessThan(BUDGET + BUDGET / 4 + TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Test
  void aCallWhoseCallerReadTheClockIsTimedFromThatReading() throws InterruptedException {
    // a scorer's call starts at the reading its caller has: 150 ms before it is made, here, so its
    // budget of 200 ms is over 50 ms into the call; timed from when the watcher saw it, it would
    // run the whole 200 ms
    long ownBudget = BUDGET;
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong calledAt = new AtomicLong();
    CallWatch watch =
        run(
            w -> {
              long start = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(150);
              calledAt.set(System.nanoTime());
              returnsAfter(
                  w, w.calling("the scorer slow", start, ownBudget), () -> awaitRelease(release));
            });

    CallWatch.Stall stall = watch.await(TimeUnit.SECONDS.toNanos(10), ownBudget);
    long waited = System.nanoTime() - calledAt.get();
    release.countDown();

    assertThat(stall).isNotNull();
    assertThat(stall.callback()).isEqualTo("the scorer slow");
    assertThat(waited).isLessThan(BUDGET);
  }

  @Test
  void aCallEndingAsItsBudgetRunsOutIsEitherInTimeOrLateNeverBoth() throws InterruptedException {
    // calls of 0.5 to 1.5 budgets race the watcher's look: the call's end and the watcher's giving
    // up meet on one compare-and-set, so each run either ends in time with no late-return action,
    // or stalls and runs that action exactly once, after the call came back
    long budget = TimeUnit.MILLISECONDS.toNanos(2);
    Random random = new Random(7);
    int stalls = 0;
    int inTime = 0;
    for (int k = 0; k < 200; k++) {
      long connection = k;
      long busy = budget / 2 + (long) (random.nextDouble() * budget);
      AtomicLong lateRuns = new AtomicLong();
      CountDownLatch over = new CountDownLatch(1);
      CallWatch watch =
          run(
              w -> {
                w.afterwards(over::countDown);
                long call = w.calling("the closer of connection ", connection);
                try {
                  long end = System.nanoTime() + busy;
                  while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                  }
                } finally {
                  w.returned(call, lateRuns::incrementAndGet);
                }
              });
      CallWatch.Stall stall = watch.await(budget);
      if (stall != null && !stall.started()) {
        // no callback thread took the run up within the budget (a loaded machine): nothing ran,
        // so there is no call to race and nothing to run afterwards
        assertThat(over.getCount()).isOne();
        assertThat(lateRuns.get()).isZero();
        continue;
      }
      assertThat(over.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(lateRuns.get()).isEqualTo(stall == null ? 0 : 1);
      stalls += stall == null ? 0 : 1;
      inTime += stall == null ? 1 : 0;
    }
    // both ways were taken: the race was run, not one side of it
    assertThat(stalls).isPositive();
    assertThat(inTime).isPositive();
  }
}
