package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The manager's own callback threads: an idle thread is reused rather than another started, never
 * more than the maximum however many tasks hang, work queued while all are busy runs as soon as one
 * is free, idle threads end after the keep-alive, and shutdown ends them all.
 */
class CallbackPoolTest {

  private static final int MAX = 3;

  private final CountDownLatch release = new CountDownLatch(1);
  private final List<CallbackPool> pools = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    release.countDown();
    pools.forEach(CallbackPool::shutdownNow);
  }

  private CallbackPool pool(long keepAliveMillis) {
    CallbackPool pool =
        new CallbackPool(
            MAX, keepAliveMillis, TimeUnit.MILLISECONDS, DaemonThreads.numbered("pool-test-"));
    pools.add(pool);
    return pool;
  }

  private void hang() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs {@code n} tasks one after another, each once the thread of the last is idle again (parked
   * for work: the only timed wait of a worker); the threads they ran on. A hand-over whose wake-up
   * got lost would leave a task waiting out the keep-alive, and fail the 10 seconds given.
   */
  private static Set<Thread> runOneAfterAnother(CallbackPool pool, int n)
      throws InterruptedException {
    Set<Thread> ran = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < n; i++) {
      CountDownLatch done = new CountDownLatch(1);
      Thread[] last = new Thread[1];
      pool.execute(
          () -> {
            last[0] = Thread.currentThread();
            ran.add(last[0]);
            done.countDown();
          });
      assertThat(done.await(10, TimeUnit.SECONDS)).as("task %d ran", i).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofNanos(1))
          .until(() -> last[0].getState() == Thread.State.TIMED_WAITING);
    }
    return ran;
  }

  @Test
  void prestartedThreadTakesTheFirstWorkAndOneIdleThreadRunsEverythingSequential()
      throws InterruptedException {
    CallbackPool pool = pool(60_000);
    pool.prestart();
    assertThat(pool.threadCount()).isEqualTo(1);

    Set<Thread> ran = runOneAfterAnother(pool, 2_000);

    // a ThreadPoolExecutor below its core size would have started MAX threads here
    assertThat(ran).hasSize(1);
    assertThat(pool.threadCount()).isEqualTo(1);
    assertThat(ran.iterator().next().getName()).isEqualTo("pool-test-1");
    assertThat(ran.iterator().next().isDaemon()).isTrue();
  }

  @Test
  void hungTasksTakeAtMostTheMaximumAndLaterWorkWaitsForAFreeThread() throws InterruptedException {
    CallbackPool pool = pool(60_000);
    AtomicInteger started = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      pool.execute(
          () -> {
            started.incrementAndGet();
            hang();
          });
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == MAX);
    CountDownLatch queued = new CountDownLatch(1);
    pool.execute(queued::countDown);

    assertThat(queued.await(100, TimeUnit.MILLISECONDS)).as("no thread is free").isFalse();
    assertThat(pool.threadCount()).isEqualTo(MAX);
    assertThat(started).hasValue(MAX);

    release.countDown();
    assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 10);
    assertThat(pool.threadCount()).isEqualTo(MAX);
  }

  @Test
  void aTaskThatThrowsDoesNotCostTheThread() throws InterruptedException {
    CallbackPool pool = pool(60_000);
    pool.prestart();
    Thread.UncaughtExceptionHandler quiet = (t, e) -> {};
    CountDownLatch thrown = new CountDownLatch(1);
    Thread[] ranOn = new Thread[1];
    pool.execute(
        () -> {
          ranOn[0] = Thread.currentThread();
          ranOn[0].setUncaughtExceptionHandler(quiet);
          thrown.countDown();
          throw new IllegalStateException("a careless task");
        });
    assertThat(thrown.await(10, TimeUnit.SECONDS)).isTrue();
    // handed the next work only once idle again: work handed over while it still unwinds the
    // throw would rightly go to a second thread
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofNanos(1))
        .until(() -> ranOn[0].getState() == Thread.State.TIMED_WAITING);

    assertThat(runOneAfterAnother(pool, 3)).containsExactly(ranOn[0]);
    assertThat(pool.threadCount()).isEqualTo(1);
  }

  @Test
  void idleThreadsBeyondOneEndAfterTheKeepAliveAndTheLastTakesLaterWork()
      throws InterruptedException {
    CallbackPool pool = pool(50);
    CountDownLatch allRunning = new CountDownLatch(3);
    CountDownLatch finish = new CountDownLatch(1);
    for (int i = 0; i < 3; i++) {
      pool.execute(
          () -> {
            allRunning.countDown();
            try {
              finish.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    assertThat(allRunning.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.threadCount()).isEqualTo(3);
    finish.countDown();

    await().atMost(Duration.ofSeconds(10)).until(() -> pool.threadCount() == 1);
    // the last idle thread outlives many keep-alives
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(10))
        .until(() -> pool.threadCount() == 1);
    Set<Thread> kept = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("pool-test-") && t.isAlive()) {
        kept.add(t);
      }
    }
    assertThat(runOneAfterAnother(pool, 3)).isSubsetOf(kept).hasSize(1);
    assertThat(pool.threadCount()).isEqualTo(1);
  }

  @Test
  void shutdownEndsTheLastIdleThreadThatOutlivesItsKeepAlive() throws InterruptedException {
    CallbackPool pool = pool(20);
    Set<Thread> ran = runOneAfterAnother(pool, 1);
    Thread last = ran.iterator().next();
    // idle for many keep-alives: the one thread a pool never retires on its own
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(10))
        .until(() -> pool.threadCount() == 1 && last.isAlive());

    pool.shutdownNow();

    last.join(10_000);
    assertThat(last.isAlive()).as("the last idle thread after shutdown").isFalse();
    assertThat(pool.threadCount()).isZero();
  }

  @Test
  void shutdownEndsEveryThreadAndRefusesWork() throws InterruptedException {
    CallbackPool pool = pool(60_000);
    CountDownLatch hanging = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      pool.execute(
          () -> {
            hanging.countDown();
            hang(); // ends on the interrupt
          });
    }
    assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();

    pool.shutdownNow();

    await().atMost(Duration.ofSeconds(10)).until(() -> pool.threadCount() == 0);
    assertThatThrownBy(() -> pool.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("shut down");
  }

  @Test
  void manyThreadsHandingWorkAtOnceLoseNoneAndStayWithinTheMaximum() throws InterruptedException {
    CallbackPool pool = pool(1);
    int perThread = 20_000;
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger mostThreads = new AtomicInteger();
    List<Thread> submitters = new CopyOnWriteArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread s =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  pool.execute(
                      () -> {
                        mostThreads.accumulateAndGet(pool.threadCount(), Math::max);
                        ran.incrementAndGet();
                      });
                }
              });
      submitters.add(s);
      s.start();
    }
    for (Thread s : submitters) {
      s.join();
    }
    // a keep-alive of 1 ms makes workers end and start all the time, racing the hand-overs
    await().atMost(Duration.ofSeconds(30)).until(() -> ran.get() == 4 * perThread);
    assertThat(mostThreads.get()).isBetween(1, MAX);
    assertThat(pool.threadCount()).isLessThanOrEqualTo(MAX);
  }
}
