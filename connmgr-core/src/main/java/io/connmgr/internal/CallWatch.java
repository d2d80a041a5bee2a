package io.connmgr.internal;

import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A run of callback calls on one supervisor thread, watched by the thread that wants the result.
 *
 * <p>The worker wraps each user call in {@link #call}; the watcher, in {@link #await}, gives up on
 * the run when one call takes longer than the budget, or when no thread took the run up within the
 * budget (a call whose caller read no clock: within an eighth of a budget more, counted from when
 * the watcher first saw it). Exactly one of them wins the race at a call's end: either the call
 * returned in time, or the watcher gave up on it, and then the worker, once the call comes back,
 * runs the call's late-return action and stops. What the worker does inside its call after that is
 * its own business (a closer's close is still accounted for), but it takes no further step. The
 * time between calls (the manager's own code) is never held against anyone.
 */
final class CallWatch {

  private static final System.Logger LOG = System.getLogger(CallWatch.class.getName());

  private static final long WAITING = -2;
  private static final long ABANDONED = -1;

  /** WAITING, ABANDONED, or a count of call starts and ends: odd while a call is under way. */
  private final AtomicLong status = new AtomicLong(WAITING);

  /**
   * How often the watcher looks at the run, as a share of the shortest budget: it notes when it
   * first saw a call whose caller read no clock, so such a call is given up on between one budget
   * and an eighth more after it began.
   */
  private static final int LOOKS_PER_BUDGET = 8;

  /**
   * {@link #callStart} of a call whose caller read no clock: see {@link #calling(String, long)}.
   */
  private static final long UNSTAMPED = Long.MIN_VALUE;

  private final CountDownLatch finished = new CountDownLatch(1);

  // The four fields of the call under way are plain: the worker writes them before the status
  // store that starts the call (a release), and the watcher reads them after reading that status.

  /** When the call began ({@link System#nanoTime()}), or {@link #UNSTAMPED}. */
  private long callStart;

  /** The budget of the call under way, or 0 for the one {@link #await} was given. */
  private long callBudget;

  private String callName = "";

  /** The connection id that ends the call's name, or -1: the name is built only when read. */
  private long callSubject = -1;

  /** The watcher's own: the unstamped call it saw last (its status), and when it first saw it. */
  private long seenCall = WAITING;

  private long seenAt;

  private volatile @Nullable Throwable failure;

  /** Run by the worker once the watcher is released, whichever way the run ended; or null. */
  private @Nullable Runnable afterwards;

  /** Names the executor in a stall's sentence. */
  private final String executor;

  /** Why the executor refused the run, or null when it took it. */
  private @Nullable String refusal;

  private CallWatch(String executor) {
    this.executor = executor;
  }

  /**
   * Why {@link #await} stopped waiting.
   *
   * @param callback the call it stopped waiting for
   * @param started false when no callback thread took the run up
   * @param why when not started: what happened instead (no free thread within the budget, or the
   *     executor refused the run)
   */
  record Stall(String callback, boolean started, String why) {
    /** A sentence for a report: what the run waited for. */
    String describe() {
      return started ? callback : "a free callback thread to call " + callback + " (" + why + ")";
    }
  }

  /**
   * Starts {@code steps} on a supervisor thread; follow with {@link #await}. When the executor
   * refuses the run, {@link #await} returns at once, with a stall that says so.
   */
  static CallWatch start(
      CallbackSupervisor supervisor, String firstCall, Consumer<CallWatch> steps) {
    CallWatch watch = new CallWatch(supervisor.describeExecutor());
    watch.callName = firstCall;
    try {
      supervisor.execute(() -> watch.work(steps));
    } catch (RejectedExecutionException e) {
      watch.status.set(ABANDONED);
      watch.refusal = watch.executor + " refused the run: " + e.getMessage();
    }
    return watch;
  }

  private void work(Consumer<CallWatch> steps) {
    if (!status.compareAndSet(WAITING, 0)) {
      return;
    }
    try {
      CallbackSupervisor.inside(
          this,
          () -> {
            steps.accept(this);
            return null;
          });
    } catch (Abandoned e) {
      runAfterwards();
      return;
    } catch (Throwable t) {
      failure = t;
    }
    finished.countDown();
    runAfterwards();
  }

  /**
   * Has the worker run {@code work} once the run's steps are over and the watcher no longer waits
   * for them, whichever way they ended (their end, a failure, or a call given up on, once it
   * returned): for the manager's own tidying up that nobody needs to wait for. Called from the
   * steps; {@code work} must call no user code, and what it throws is dropped.
   */
  void afterwards(Runnable work) {
    afterwards = work;
  }

  private void runAfterwards() {
    Runnable work = afterwards;
    if (work != null) {
      try {
        work.run();
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.ERROR, "connmgr tidying up after a round failed", e);
      }
    }
  }

  /** Runs one user call, named for reports; see {@link #callInt}. */
  <T> T call(String name, Supplier<T> callback, @Nullable Runnable lateReturn) {
    return call(name, -1, callback, lateReturn);
  }

  /**
   * Runs one user call named {@code name} followed by {@code connectionId} (the name is put
   * together only if a report needs it); see {@link #callInt}.
   */
  <T> T call(String name, long connectionId, Supplier<T> callback, @Nullable Runnable lateReturn) {
    long at = calling(name, connectionId);
    T value;
    try {
      value = callback.get();
    } finally {
      returned(at, lateReturn);
    }
    return value;
  }

  /**
   * Starts a user call named {@code name} followed by {@code connectionId}, for a caller that runs
   * it in its own frame rather than as a {@link #call} of a capturing lambda. The per-connection
   * calls of a round (closers, scorers) do: until the JIT has compiled their call sites with C2,
   * which for code run a few times a minute takes most of a service's life, each capturing lambda
   * is a slow-path allocation. Reads no clock: the watcher notes when it first saw the call (a
   * round's closes, thousands in a row, each saved a clock read of about 25 ns). Returns the call's
   * token for {@link #returned}, which must follow in a {@code finally} block.
   */
  long calling(String name, long connectionId) {
    return begin(name, connectionId, UNSTAMPED, 0);
  }

  /**
   * As {@link #calling(String, long)}, for a call that started at {@code startNanos} (a {@link
   * System#nanoTime()} reading the caller has) and is watched against a budget of its own, {@code
   * budgetNanos}, rather than the one {@link #await} was given: a scorer's, in a round.
   */
  long calling(String name, long startNanos, long budgetNanos) {
    return begin(name, -1, startNanos, budgetNanos);
  }

  /**
   * Ends the call {@code call} (a token from {@link #calling}). If the watcher gave up on it, runs
   * {@code lateReturn} and ends the worker.
   */
  void returned(long call, @Nullable Runnable lateReturn) {
    end(call, lateReturn);
  }

  /**
   * Runs one user call returning an int. {@code startNanos} is the {@link System#nanoTime()}
   * reading the call starts at (the caller usually has one). If the watcher gave up on the call,
   * runs {@code lateReturn} once it returns and ends the worker.
   */
  int callInt(String name, long startNanos, IntSupplier callback, @Nullable Runnable lateReturn) {
    long at = calling(name, startNanos, 0);
    int value;
    try {
      value = callback.getAsInt();
    } finally {
      returned(at, lateReturn);
    }
    return value;
  }

  /**
   * Only the worker moves the status from between calls (even) into a call, and the watcher never
   * changes an even status: a release store starts the call, with no fence.
   */
  private long begin(String name, long subject, long startNanos, long budgetNanos) {
    long between = status.get();
    if (between < 0) {
      throw Abandoned.INSTANCE;
    }
    callName = name;
    callSubject = subject;
    callStart = startNanos;
    callBudget = budgetNanos;
    status.setRelease(between + 1);
    return between + 1;
  }

  private void end(long during, @Nullable Runnable lateReturn) {
    if (!status.compareAndSet(during, during + 1)) {
      if (lateReturn != null) {
        lateReturn.run();
      }
      throw Abandoned.INSTANCE;
    }
  }

  /** The user call under way on this run's thread, or null between calls. */
  @Nullable String currentCall() {
    return (status.get() & 1) != 0 ? callName() : null;
  }

  private String callName() {
    long subject = callSubject;
    return subject < 0 ? callName : callName + subject;
  }

  /**
   * Waits for the run to end; returns null when it did, or the call it stopped waiting for: one
   * that ran past its own budget, or past {@code budgetNanos} when it has none, or the run itself
   * when no thread took it up within {@code budgetNanos}. Rethrows what the manager's own code
   * between calls threw.
   */
  @Nullable Stall await(long budgetNanos) throws InterruptedException {
    return await(budgetNanos, budgetNanos);
  }

  /**
   * As {@link #await(long)}, for a run whose calls may have budgets of their own, the shortest
   * {@code shortestNanos}: the watcher looks at the run eight times as often, so that such a call
   * is given up on once its own budget is over.
   */
  @Nullable Stall await(long budgetNanos, long shortestNanos) throws InterruptedException {
    String refused = refusal;
    if (refused != null) {
      return new Stall(callName(), false, refused);
    }
    long look = Math.max(1, Math.min(budgetNanos, shortestNanos) / LOOKS_PER_BUDGET);
    long queuedAt = System.nanoTime();
    for (; ; ) {
      if (finished.getCount() == 0) {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
          throw r;
        }
        if (t instanceof Error e) {
          throw e;
        }
        if (t != null) {
          // only a callback's own code throws what Java never declared, and each call site takes
          // that as the callback's failure: this is a slip of the manager's, not a clean end
          throw new UndeclaredThrowableException(t);
        }
        return null;
      }
      long s = status.get();
      long now = System.nanoTime();
      if (s == WAITING) {
        long left = queuedAt + budgetNanos - now;
        if (left <= 0 && status.compareAndSet(WAITING, ABANDONED)) {
          return new Stall(
              callName(),
              false,
              "none of "
                  + executor
                  + " free within "
                  + Duration.ofNanos(budgetNanos).toMillis()
                  + " ms");
        }
        finished.await(Math.max(Math.min(left, look), 1), TimeUnit.NANOSECONDS);
      } else if ((s & 1) == 0) {
        // between calls: the manager's own code runs; look again soon, so that the next call's
        // start, if its caller read no clock, is noted within an eighth of a budget
        finished.await(look, TimeUnit.NANOSECONDS);
      } else {
        long own = callBudget;
        long left = startOf(s, now) + (own > 0 ? own : budgetNanos) - now;
        if (left > 0) {
          finished.await(Math.min(left, look), TimeUnit.NANOSECONDS);
        } else if (status.compareAndSet(s, ABANDONED)) {
          return new Stall(callName(), true, "");
        }
      }
    }
  }

  /**
   * When call {@code s} (its status) began: as its caller read it, or, for a call whose caller read
   * no clock, when the watcher first saw it ({@code now} the first time).
   */
  private long startOf(long s, long now) {
    long start = callStart;
    if (start != UNSTAMPED) {
      return start;
    }
    if (s != seenCall) {
      seenCall = s;
      seenAt = now;
    }
    return seenAt;
  }

  /** Unwinds a worker that was given up on; never escapes {@link #work}. */
  private static final class Abandoned extends Error {
    private static final long serialVersionUID = 1L;
    private static final Abandoned INSTANCE = new Abandoned();

    private Abandoned() {
      super(null, null, false, false);
    }
  }
}
