package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The threads a manager runs on: an application's executor and scheduler when the builder was given
 * them (used, never shut down by {@code close()}), else its own pools, bounded and named after the
 * manager; and how an executor that hangs, fills up, refuses or would run a callback on the
 * caller's thread still never stalls a round.
 */
class ExecutorAndSchedulerTest {

  private static final Duration BUDGET = Duration.ofMillis(200);

  /** What a round may take with one hung callback: a few budgets, on a loaded machine. */
  private static final long ROUND_BOUND_MILLIS = BUDGET.toMillis() * 15;

  private final Hangs hangs = new Hangs();
  private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();

  @AfterEach
  void letGo() {
    hangs.letGo();
    pools.forEach(ExecutorService::shutdownNow);
  }

  @Test
  void callbacksRunOnTheInjectedExecutorWhichCloseLeavesRunning() throws Exception {
    ThreadPoolExecutor pool = pool(4, new LinkedBlockingQueue<>());
    AtomicInteger tasks = new AtomicInteger();
    Executor counting =
        work -> {
          tasks.incrementAndGet();
          pool.execute(work);
        };
    Set<String> ran = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(5).highWater(5).executor(counting))) {
      h.cm.registerConnectionScorer("s", c -> record(ran, "scorer"));
      h.cm.registerVeto(
          "v",
          (c, round) -> {
            record(ran, "veto");
            return Verdict.allow();
          });
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRound(TrimReport report) {
              record(ran, "listener");
            }
          });
      openTen(h);
      h.pastGrace();

      assertThat(h.cm.trim().evicted()).hasSize(5);

      eventually(() -> assertThat(ran).anyMatch(r -> r.startsWith("listener on app-")));
      assertThat(ran)
          .anyMatch(r -> r.startsWith("scorer on app-"))
          .anyMatch(r -> r.startsWith("veto on app-"))
          .allMatch(r -> r.contains(" on app-"));
      assertThat(tasks.get()).as("tasks handed to the executor").isPositive();
    }
    assertThat(pool.isShutdown()).as("close() leaves the application's executor be").isFalse();
    assertThat(pool.submit(() -> "still runs").get(30, TimeUnit.SECONDS)).isEqualTo("still runs");
  }

  @Test
  void upkeepRunsOnTheInjectedSchedulerDrivenByTheInjectedClock() {
    ManualScheduler scheduler = new ManualScheduler();
    List<String> scorerThreads = new CopyOnWriteArrayList<>();
    Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(2)
                .highWater(3)
                .scorerBudget(Duration.ofSeconds(5))
                .scheduler(scheduler),
            Duration.ofSeconds(1));
    PeerId kept = PeerId.of("kept");
    h.cm.protect(kept, "test");
    DecayingTag gossip =
        h.cm.registerDecayingTag(
            "gossip", Duration.ofMinutes(1), DecayFunctions.fixed(1), BumpFunctions.sum());
    h.open("kept");
    gossip.bump(kept, 5);
    for (int i = 0; i < 4; i++) {
      h.open("p" + i);
    }
    h.cm.registerConnectionScorer(
        "s",
        c -> {
          scorerThreads.add(Thread.currentThread().getName());
          return 1;
        });
    assertThat(scheduler.pending())
        .singleElement()
        .satisfies(p -> assertThat(p.delayNanos()).isEqualTo(Duration.ofSeconds(1).toNanos()));

    h.clock.advance(Duration.ofMinutes(1).plusSeconds(21));
    scheduler.runPending();

    assertThat(h.cm.connectionCount()).as("the pass ran a round down to low water").isEqualTo(2);
    assertThat(h.cm.inspect().tagInfo(kept).orElseThrow().tags()).containsEntry("gossip", 4);
    assertThat(scheduler.ran.get()).isEqualTo(1);
    assertThat(scheduler.pending()).as("the next pass").hasSize(1);
    String manager = managerOf(scorerThreads.get(0));
    assertThat(threadNames())
        .as("no upkeep thread of the manager's own")
        .doesNotContain(manager + "-upkeep");

    h.close();

    assertThat(scheduler.pending()).as("close() cancels the pending pass").isEmpty();
    scheduler.runPending();
    assertThat(scheduler.ran.get()).isEqualTo(1);
  }

  @Test
  void ownThreadsAreDaemonsNamedAfterTheManagerAtMostEightAndGoWithClose() {
    List<Thread> scorerThreads = new CopyOnWriteArrayList<>();
    String manager;
    try (Harness h =
        new Harness(
            ConnectionManager.builder().lowWater(5).highWater(5).scorerBudget(BUDGET),
            Duration.ofSeconds(1))) {
      h.cm.registerConnectionScorer(
          "records",
          c -> {
            scorerThreads.add(Thread.currentThread());
            return 1;
          });
      for (int i = 0; i < 12; i++) {
        String name = "hung" + i;
        h.cm.registerConnectionScorer(
            name,
            c -> {
              hangs.hang();
              return 1;
            });
      }
      openTen(h);
      h.pastGrace();
      h.cm.trim();
      h.cm.trim();

      manager = managerOf(scorerThreads.get(0).getName());
      assertThat(manager).matches("connmgr-\\d+");
      List<Thread> own = threads(manager);
      assertThat(own).allMatch(Thread::isDaemon);
      assertThat(own)
          .extracting(Thread::getName)
          .contains(manager + "-upkeep")
          .allMatch(n -> n.equals(manager + "-upkeep") || n.matches(manager + "-callback-[1-8]"));
      assertThat(own)
          .as("8 callback threads, however many scorers hang, and the upkeep thread")
          .hasSizeLessThanOrEqualTo(9);
    }
    hangs.letGo();
    eventually(() -> assertThat(threads(manager)).isEmpty());
  }

  @Test
  void aManagerWithoutUpkeepStartsNoUpkeepThread() {
    List<String> scorerThreads = new CopyOnWriteArrayList<>();
    try (Harness h = new Harness(ConnectionManager.builder().lowWater(5).highWater(5))) {
      h.cm.registerConnectionScorer(
          "records",
          c -> {
            scorerThreads.add(Thread.currentThread().getName());
            return 1;
          });
      openTen(h);
      h.pastGrace();
      h.cm.trim();
      assertThat(threadNames()).doesNotContain(managerOf(scorerThreads.get(0)) + "-upkeep");
    }
  }

  @Test
  void aHungScorerOnTheInjectedExecutorCostsOneBudgetAndTheRoundGoesOnOnAnotherOfItsThreads() {
    ThreadPoolExecutor pool = pool(16, new SynchronousQueue<>());
    List<String> callThreads = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(5)
                .highWater(5)
                .scorerBudget(BUDGET)
                .executor(pool))) {
      h.cm.registerConnectionScorer(
          "hangs-once",
          c -> {
            callThreads.add(Thread.currentThread().getName());
            if (calls.incrementAndGet() == 3) {
              hangs.hang();
            }
            return 1;
          });
      List<String> vetoThreads = new CopyOnWriteArrayList<>();
      h.cm.registerVeto(
          "v",
          (c, round) -> {
            vetoThreads.add(Thread.currentThread().getName());
            return Verdict.allow();
          });
      openTen(h);
      h.pastGrace();

      TrimReport[] report = new TrimReport[1];
      long took = Hangs.millis(() -> report[0] = h.cm.trim());

      assertThat(took).isLessThan(ROUND_BOUND_MILLIS);
      assertThat(report[0].evicted()).as("the round reached low water").hasSize(5);
      assertThat(report[0].unanswered()).containsExactly("hangs-once");
      assertThat(callThreads).hasSize(3).allMatch(n -> n.startsWith("app-"));
      assertThat(vetoThreads)
          .as("the rest of the round, on another thread of the executor")
          .isNotEmpty()
          .allMatch(n -> n.startsWith("app-") && !n.equals(callThreads.get(2)));
    }
    assertThat(pool.isShutdown()).isFalse();
  }

  @Test
  void aHungVetoOnASaturatedBoundedExecutorStopsTheNextRoundWithinItsBudgetSayingWhy() {
    ThreadPoolExecutor pool = pool(1, new LinkedBlockingQueue<>());
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(5)
                .highWater(5)
                .callbackBudget(BUDGET)
                .executor(pool))) {
      h.cm.registerVeto(
          "kad",
          (c, round) -> {
            hangs.hang();
            return Verdict.allow();
          });
      openTen(h);
      h.pastGrace();
      assertThat(h.cm.trim().stalledOn()).isEqualTo("the veto 'kad'");

      TrimReport[] next = new TrimReport[1];
      long took = Hangs.millis(() -> next[0] = h.cm.trim());

      assertThat(took).isLessThan(ROUND_BOUND_MILLIS);
      assertThat(next[0].stalledOn()).isNotNull();
      assertThat(next[0].stalledOn())
          .startsWith("a free callback thread to call")
          .contains("none of the callback executor free within " + BUDGET.toMillis() + " ms");
      assertThat(h.cm.connectionCount()).isEqualTo(10);
    }
  }

  @Test
  void anExecutorThatRefusesStopsTheRoundAtOnceSayingWhy() {
    ThreadPoolExecutor pool = pool(1, new SynchronousQueue<>());
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(5)
                .highWater(5)
                .scorerBudget(BUDGET)
                .executor(pool))) {
      h.cm.registerConnectionScorer(
          "hangs",
          c -> {
            hangs.hang();
            return 1;
          });
      openTen(h);
      h.pastGrace();

      TrimReport[] report = new TrimReport[1];
      long took = Hangs.millis(() -> report[0] = h.cm.trim());

      assertThat(took).isLessThan(ROUND_BOUND_MILLIS);
      assertThat(report[0].stalledOn()).isNotNull();
      assertThat(report[0].stalledOn()).contains("the callback executor refused the run");
      assertThat(report[0].unanswered()).containsExactly("hangs");
    }
  }

  @Test
  void anExecutorThatWouldRunCallbacksOnTheCallersThreadIsRefused() {
    Thread caller = Thread.currentThread();
    AtomicInteger onCaller = new AtomicInteger();
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(5).highWater(5).executor(Runnable::run))) {
      h.cm.registerConnectionScorer(
          "s",
          c -> {
            if (Thread.currentThread() == caller) {
              onCaller.incrementAndGet();
            }
            return 1;
          });
      openTen(h);
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(onCaller.get()).isZero();
      assertThat(report.stalledOn())
          .contains("would run the callback on the thread that handed" + " it over");
      assertThat(h.cm.connectionCount()).isEqualTo(10);
    }
  }

  private ThreadPoolExecutor pool(int threads, java.util.concurrent.BlockingQueue<Runnable> queue) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory named = r -> new Thread(r, "app-" + n.incrementAndGet());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads == 16 ? 0 : threads, threads, 30, TimeUnit.SECONDS, queue, named);
    pools.add(pool);
    return pool;
  }

  private static int record(Set<String> ran, String what) {
    ran.add(what + " on " + Thread.currentThread().getName());
    return 1;
  }

  private static void openTen(Harness h) {
    for (int i = 0; i < 10; i++) {
      h.open("p" + i);
    }
  }

  /** {@code connmgr-<n>} from a callback thread's name. */
  private static String managerOf(String callbackThread) {
    return callbackThread.substring(0, callbackThread.indexOf("-callback-"));
  }

  private static Set<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  private static List<Thread> threads(String manager) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(manager + "-"))
        .toList();
  }
}
