package io.connmgr;

import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * However many intervals elapsed since the last upkeep pass, a decaying tag catches up in one step
 * per peer: the presets in closed form, a custom function in a bounded number of calls.
 */
class DecayCatchUpTest {

  private static final Duration MS = Duration.ofMillis(1);

  /** A guard against hangs: each case takes milliseconds, even on a loaded machine. */
  private static final Duration NO_HANG = Duration.ofMinutes(2);

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private ConnectionManager cm;
  private final PeerId p = peer("p");

  @BeforeEach
  void connect() {
    cm = Managers.manager(clock, 1, 1000);
    closer.open(cm, "p");
  }

  @AfterEach
  void closeManager() {
    cm.close();
  }

  private OptionalInt value(String tag) {
    Integer v = cm.inspect().tagInfo(p).orElseThrow().tags().get(tag);
    return v == null ? OptionalInt.empty() : OptionalInt.of(v);
  }

  private void upkeepAfter(Duration pause) {
    clock.advance(pause);
    assertTimeoutPreemptively(NO_HANG, cm::maintain);
  }

  @Test
  void aCustomFunctionIsCalledABoundedNumberOfTimesWhateverElapsed() {
    AtomicLong calls = new AtomicLong();
    DecayingTag tag =
        cm.registerDecayingTag(
            "custom",
            MS,
            (value, sinceBump) -> {
              calls.incrementAndGet();
              return value - 1;
            },
            BumpFunctions.sum());
    tag.bump(p, 1_000_000_000);

    upkeepAfter(Duration.ofHours(1)); // 3 600 000 intervals

    assertThat(calls.get()).isEqualTo(Bounds.DECAY_CATCH_UP_CALLS);
    assertThat(value("custom")).hasValue(1_000_000_000 - Bounds.DECAY_CATCH_UP_CALLS);
  }

  @Test
  void aCustomFunctionsLastCallSeesTheIdleTimeAtTheLastInterval() {
    Duration idle = Duration.ofMinutes(30);
    DecayingTag tag =
        cm.registerDecayingTag(
            "custom",
            MS,
            (value, sinceBump) -> sinceBump.compareTo(idle) >= 0 ? 0 : value,
            BumpFunctions.sum());
    tag.bump(p, 7);

    upkeepAfter(Duration.ofMinutes(29));
    assertThat(value("custom")).hasValue(7);
    upkeepAfter(Duration.ofMinutes(1));
    assertThat(value("custom")).isEmpty();
  }

  @Test
  void fixedCatchesUpAYearOfMillisecondsInOneStep() {
    cm.registerDecayingTag("fixed", MS, DecayFunctions.fixed(1), BumpFunctions.sum())
        .bump(p, 1_000_000);
    upkeepAfter(Duration.ofSeconds(999));
    assertThat(value("fixed")).hasValue(1000);

    cm.registerDecayingTag("max", MS, DecayFunctions.fixed(1), BumpFunctions.sum())
        .bump(p, Integer.MAX_VALUE);
    upkeepAfter(Duration.ofDays(365));
    assertThat(value("fixed")).isEmpty();
    assertThat(value("max")).isEmpty();
    assertThat(cm.inspect().tagInfo(p).orElseThrow().value()).isZero();
  }

  @Test
  void expireAfterCatchesUpInOneStep() {
    DecayingTag tag =
        cm.registerDecayingTag(
            "seen", MS, DecayFunctions.expireAfter(Duration.ofDays(30)), BumpFunctions.sum());
    tag.bump(p, 3);

    upkeepAfter(Duration.ofDays(29));
    assertThat(value("seen")).hasValue(3);
    upkeepAfter(Duration.ofDays(1));
    assertThat(value("seen")).isEmpty();
  }

  @Test
  void linearCatchesUpInOneStep() {
    cm.registerDecayingTag("linear", MS, DecayFunctions.linear(0.999_999), BumpFunctions.sum())
        .bump(p, Integer.MAX_VALUE);
    upkeepAfter(Duration.ofSeconds(10)); // 10 000 intervals: about a hundredth goes

    assertThat(value("linear").orElseThrow())
        .isBetween((int) (Integer.MAX_VALUE * 0.99) - 1, (int) (Integer.MAX_VALUE * 0.991));
    upkeepAfter(Duration.ofDays(365));
    assertThat(value("linear")).isEmpty();
  }

  @Test
  void aSlowCustomFunctionNeverHoldsThePeersLock() throws Exception {
    CountDownLatch inDecay = new CountDownLatch(1);
    Hangs release = new Hangs();
    DecayingTag tag =
        cm.registerDecayingTag(
            "slow",
            Duration.ofMinutes(1),
            (value, sinceBump) -> {
              inDecay.countDown();
              release.hang();
              return value - 1;
            },
            BumpFunctions.sum());
    tag.bump(p, 10);
    clock.advance(Duration.ofMinutes(1));
    FutureTask<Void> pass = new FutureTask<>(cm::maintain, null);
    new Thread(pass, "upkeep").start();
    assertThat(inDecay.await(10, TimeUnit.SECONDS)).isTrue();

    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          cm.tagPeer(p, "plain", 1);
          tag.bump(p, 5);
          assertThat(cm.inspect().tagInfo(p).orElseThrow().value()).isEqualTo(16);
        },
        "tags of the peer while its decay function runs");
    release.letGo();
    pass.get(10, TimeUnit.SECONDS);

    assertThat(value("slow")).as("the bump came after the interval: its value stands").hasValue(15);
  }

  @Test
  void aHungCustomFunctionCostsUpkeepOneBudgetAndIsNotCalledAgainUntilItReturns() {
    cm.close();
    cm =
        Managers.builder(clock)
            .lowWater(1)
            .highWater(1000)
            .callbackBudget(Duration.ofMillis(200))
            .build();
    closer.open(cm, "p");
    AtomicLong calls = new AtomicLong();
    Hangs release = new Hangs();
    DecayingTag hung =
        cm.registerDecayingTag(
            "hung",
            Duration.ofMinutes(1),
            (value, since) -> {
              calls.incrementAndGet();
              release.hang();
              return value - 1;
            },
            BumpFunctions.sum());
    DecayingTag steady =
        cm.registerDecayingTag(
            "steady", Duration.ofMinutes(1), DecayFunctions.fixed(1), BumpFunctions.sum());
    hung.bump(p, 100);
    steady.bump(p, 100);

    upkeepAfter(Duration.ofMinutes(1)); // returns once the budget is spent
    upkeepAfter(Duration.ofMinutes(1));

    assertThat(calls.get()).as("not called again while its call is out").isEqualTo(1);
    assertThat(value("hung")).hasValue(100);
    assertThat(value("steady")).as("other tags decay meanwhile").hasValue(98);

    release.letGo();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              cm.maintain();
              return value("hung").orElseThrow() == 98;
            });
    assertThat(calls.get()).as("back: it catches up both intervals").isEqualTo(3);
  }

  @Test
  void hungDecayFunctionsHoldAtMostTheCallbackThreadsAndUpkeepGoesOn() {
    cm.close();
    cm =
        Managers.builder(clock)
            .lowWater(1)
            .highWater(1000)
            .callbackBudget(Duration.ofMillis(50))
            .build();
    closer.open(cm, "p");
    AtomicLong calls = new AtomicLong();
    Hangs release = new Hangs();
    for (int i = 0; i < 12; i++) {
      cm.registerDecayingTag(
              "hung-" + i,
              Duration.ofMinutes(1),
              (value, since) -> {
                calls.incrementAndGet();
                release.hang();
                return value;
              },
              BumpFunctions.sum())
          .bump(p, 5);
    }
    cm.registerDecayingTag(
            "steady", Duration.ofMinutes(1), DecayFunctions.fixed(1), BumpFunctions.sum())
        .bump(p, 10);
    try {
      for (int pass = 0; pass < 3; pass++) {
        upkeepAfter(Duration.ofMinutes(1));
      }

      assertThat(value("steady")).as("the presets decay every pass").hasValue(7);
      assertThat(calls.get()).as("no more hung calls than callback threads").isLessThanOrEqualTo(8);
    } finally {
      release.letGo();
    }
  }

  @Test
  void aDecayFunctionCannotCallBackIntoUpkeep() {
    AtomicReference<RuntimeException> refused = new AtomicReference<>();
    cm.registerDecayingTag(
            "reentrant",
            Duration.ofMinutes(1),
            (value, since) -> {
              try {
                cm.maintain();
              } catch (RuntimeException e) {
                refused.set(e);
              }
              return value - 1;
            },
            BumpFunctions.sum())
        .bump(p, 10);

    upkeepAfter(Duration.ofMinutes(1));

    assertThat(refused.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maintain()")
        .hasMessageContaining("decay function");
    assertThat(value("reentrant")).hasValue(9);
  }

  @Test
  void aThrowingDecayFunctionLeavesTheValueAndUpkeepGoesOn() {
    cm.registerDecayingTag(
            "broken",
            Duration.ofMinutes(1),
            (value, since) -> {
              throw new IllegalArgumentException("bug in a decay function");
            },
            BumpFunctions.sum())
        .bump(p, 10);
    cm.registerDecayingTag(
            "steady", Duration.ofMinutes(1), DecayFunctions.fixed(1), BumpFunctions.sum())
        .bump(p, 10);

    upkeepAfter(Duration.ofMinutes(1));
    upkeepAfter(Duration.ofMinutes(1));

    assertThat(value("broken")).hasValue(10);
    assertThat(value("steady")).hasValue(8);
  }

  @Test
  void intervalsThatEndedBeforeTheLastBumpDoNotDecayIt() {
    DecayingTag tag =
        cm.registerDecayingTag(
            "gossip", Duration.ofMinutes(1), DecayFunctions.linear(0.5), BumpFunctions.sum());
    clock.advance(Duration.ofSeconds(9 * 60 + 30)); // nine intervals end, no upkeep runs
    tag.bump(p, 8);

    upkeepAfter(Duration.ofSeconds(30)); // the tenth ends after the bump

    assertThat(value("gossip")).as("only the interval after the bump applies").hasValue(4);
  }

  // --- the presets' closed forms against one call per interval -------------------------------

  @Property(tries = 300)
  void fixedInClosedFormEqualsStepByStep(
      @ForAll @IntRange(min = -5, max = 100_000) int value,
      @ForAll @IntRange(min = 1, max = 1000) int amount,
      @ForAll @LongRange(min = 1, max = 500) long intervals) {
    assertSameOutcome(DecayFunctions.fixed(amount), value, intervals);
  }

  @Property(tries = 300)
  void expireAfterInClosedFormEqualsStepByStep(
      @ForAll @IntRange(min = 1, max = 100_000) int value,
      @ForAll @IntRange(min = 1, max = 300) int idleIntervals,
      @ForAll @IntRange(min = 0, max = 300) int sinceBumpIntervals,
      @ForAll @LongRange(min = 1, max = 500) long intervals) {
    Duration interval = Duration.ofSeconds(1);
    DecayFunction expire = DecayFunctions.expireAfter(interval.multipliedBy(idleIntervals));
    Duration sinceBump = interval.multipliedBy(sinceBumpIntervals);
    assertThat(outcome(expire.decay(value, sinceBump, interval, intervals)))
        .isEqualTo(outcome(stepByStep(expire, value, sinceBump, interval, intervals)));
  }

  @Property(tries = 300)
  void linearInClosedFormEqualsStepByStepUpToTheCatchUpCalls(
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int value,
      @ForAll @IntRange(min = 0, max = 999) int permille,
      @ForAll @IntRange(min = 1, max = Bounds.DECAY_CATCH_UP_CALLS) int intervals) {
    assertSameOutcome(DecayFunctions.linear(permille / 1000.0), value, intervals);
  }

  @Property(tries = 300)
  void linearBeyondTheCatchUpCallsRoundsDownOnceForTheRest(
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int value,
      @ForAll @IntRange(min = 900, max = 999) int permille,
      @ForAll @IntRange(min = Bounds.DECAY_CATCH_UP_CALLS + 1, max = 2000) int intervals) {
    double factor = permille / 1000.0;
    DecayFunction linear = DecayFunctions.linear(factor);
    int stepped = stepByStep(linear, value, Duration.ZERO, Duration.ofSeconds(1), intervals);
    int caughtUp = linear.decay(value, Duration.ZERO, Duration.ofSeconds(1), intervals);
    // one rounding instead of many: never below the step-by-step value, never above the exact
    // product (each within one unit of floating-point rounding)
    assertThat(caughtUp)
        .isGreaterThanOrEqualTo(Math.max(stepped, 0) - 1)
        .isLessThanOrEqualTo((int) Math.floor(value * Math.pow(factor, intervals)) + 1);
  }

  private static void assertSameOutcome(DecayFunction f, int value, long intervals) {
    Duration interval = Duration.ofSeconds(1);
    assertThat(outcome(f.decay(value, Duration.ZERO, interval, intervals)))
        .isEqualTo(outcome(stepByStep(f, value, Duration.ZERO, interval, intervals)));
  }

  /** What the tag keeps: a positive value, or removal (any value of 0 or less). */
  private static int outcome(int value) {
    return Math.max(value, 0);
  }

  private static int stepByStep(
      DecayFunction f, int value, Duration sinceBump, Duration interval, long intervals) {
    int v = value;
    for (long i = 0; i < intervals && v > 0; i++) {
      v = f.decay(v, sinceBump.plus(interval.multipliedBy(i)));
    }
    return v;
  }
}
