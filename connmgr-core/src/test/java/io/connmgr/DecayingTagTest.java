package io.connmgr;

import static io.connmgr.Managers.PAST_GRACE;
import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Decaying tags: interval decay by maintain(), synchronous bumps, the presets at their edges. */
class DecayingTagTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private final ConnectionManager cm = Managers.manager(clock, 1, 1000);
  private final PeerId p = peer("p");
  private final PeerId q = peer("q");

  @BeforeEach
  void connect() {
    closer.open(cm, "p");
    closer.open(cm, "q");
  }

  @AfterEach
  void closeManager() {
    cm.close();
  }

  private DecayingTag register(DecayFunction decay, BumpFunction bump) {
    return cm.registerDecayingTag("gossip", MINUTE, decay, bump);
  }

  /** The peer's value of the tag, empty if it does not carry it. */
  private OptionalInt value(PeerId id) {
    Integer v = cm.inspect().tagInfo(id).orElseThrow().tags().get("gossip");
    return v == null ? OptionalInt.empty() : OptionalInt.of(v);
  }

  private void tick(Duration d) {
    clock.advance(d);
    cm.maintain();
  }

  @Test
  void aBumpAppliesAtOnceAndCountsInTheTagValue() {
    DecayingTag gossip = register(DecayFunctions.fixed(1), BumpFunctions.sum());
    cm.tagPeer(p, "plain", 5);

    gossip.bump(p, 10);

    assertThat(value(p)).hasValue(10);
    assertThat(cm.inspect().tagInfo(p).orElseThrow().value()).isEqualTo(15);
    assertThat(value(q)).isEmpty();
    assertThat(gossip.name()).isEqualTo("gossip");
    assertThat(gossip.interval()).isEqualTo(MINUTE);
  }

  @Test
  void maintainAppliesDecayOncePerWholeIntervalElapsed() {
    DecayingTag gossip = register(DecayFunctions.fixed(1), BumpFunctions.sum());
    gossip.bump(p, 100);

    tick(Duration.ofSeconds(59));
    assertThat(value(p)).as("less than an interval").hasValue(100);
    tick(Duration.ofSeconds(1));
    assertThat(value(p)).as("one interval").hasValue(99);
    cm.maintain();
    assertThat(value(p)).as("no interval elapsed since the last decay").hasValue(99);
    tick(Duration.ofSeconds(210));
    assertThat(value(p)).as("three and a half intervals").hasValue(96);
    tick(Duration.ofSeconds(30));
    assertThat(value(p)).as("the half interval carried over").hasValue(95);
  }

  @Test
  void trimDoesNotDecay() {
    DecayingTag gossip = register(DecayFunctions.fixed(1), BumpFunctions.sum());
    gossip.bump(p, 10);
    clock.advance(MINUTE.multipliedBy(3));

    cm.trim();

    assertThat(value(p)).hasValue(10);
  }

  @Test
  void fixedSubtractsEachIntervalAndRemovesTheTagAtZero() {
    DecayingTag gossip = register(DecayFunctions.fixed(3), BumpFunctions.sum());
    gossip.bump(p, 6);

    tick(MINUTE);
    assertThat(value(p)).hasValue(3);
    tick(MINUTE);
    assertThat(value(p)).isEmpty();
    assertThat(cm.inspect().tagInfo(p).orElseThrow().value()).isZero();
  }

  @Test
  void fixedRemovesTheTagBelowZero() {
    DecayingTag gossip = register(DecayFunctions.fixed(3), BumpFunctions.sum());
    gossip.bump(p, 4);

    tick(MINUTE);
    assertThat(value(p)).hasValue(1);
    tick(MINUTE);
    assertThat(value(p)).isEmpty();
  }

  @Test
  void aRemovedValueStartsAgainFromZeroOnTheNextBump() {
    DecayingTag gossip = register(DecayFunctions.fixed(3), BumpFunctions.sum());
    gossip.bump(p, 3);
    tick(MINUTE);

    gossip.bump(p, 2);

    assertThat(value(p)).hasValue(2);
  }

  @Test
  void linearMultipliesRoundingDownAndRemovesTheTagAtZero() {
    DecayingTag gossip = register(DecayFunctions.linear(0.5), BumpFunctions.sum());
    gossip.bump(p, 5);

    tick(MINUTE);
    assertThat(value(p)).as("2.5 rounds down").hasValue(2);
    tick(MINUTE);
    assertThat(value(p)).hasValue(1);
    tick(MINUTE);
    assertThat(value(p)).as("0.5 rounds down to 0: gone").isEmpty();
  }

  @Test
  void linearOverSeveralIntervalsAtOnceAppliesEachOfThem() {
    DecayingTag gossip = register(DecayFunctions.linear(0.5), BumpFunctions.sum());
    gossip.bump(p, 100);

    tick(MINUTE.multipliedBy(3));

    assertThat(value(p)).hasValue(12); // 100 -> 50 -> 25 -> 12
  }

  @Test
  void expireAfterKeepsTheValueAndRemovesTheTagWhenNotBumpedForTheIdleTime() {
    DecayingTag gossip =
        cm.registerDecayingTag(
            "gossip",
            Duration.ofSeconds(10),
            DecayFunctions.expireAfter(Duration.ofSeconds(30)),
            BumpFunctions.sum());
    gossip.bump(p, 7);
    gossip.bump(q, 7);

    tick(Duration.ofSeconds(20));
    assertThat(value(p)).as("value kept while fresh").hasValue(7);
    gossip.bump(q, 1); // q bumped at 20 s

    tick(Duration.ofSeconds(10));
    assertThat(value(p)).as("30 s without a bump").isEmpty();
    assertThat(value(q)).hasValue(8);

    tick(Duration.ofSeconds(10));
    assertThat(value(q)).as("20 s since its bump").hasValue(8);
    tick(Duration.ofSeconds(10));
    assertThat(value(q)).as("30 s since its bump").isEmpty();
  }

  @Test
  void noneNeverChangesTheValue() {
    DecayingTag gossip = register(DecayFunctions.none(), BumpFunctions.sum());
    gossip.bump(p, 3);

    tick(MINUTE.multipliedBy(1000));

    assertThat(value(p)).hasValue(3);
  }

  @Test
  void sumAddsEachBump() {
    DecayingTag gossip = register(DecayFunctions.none(), BumpFunctions.sum());

    gossip.bump(p, 3);
    gossip.bump(p, 4);
    gossip.bump(p, -2);

    assertThat(value(p)).hasValue(5);
  }

  @Test
  void boundedSumClampsToItsBounds() {
    DecayingTag gossip = register(DecayFunctions.none(), BumpFunctions.boundedSum(0, 10));

    gossip.bump(p, 8);
    gossip.bump(p, 5);
    assertThat(value(p)).hasValue(10);

    gossip.bump(p, -25);
    assertThat(value(p)).hasValue(0);
  }

  @Test
  void overwriteReplacesTheValue() {
    DecayingTag gossip = register(DecayFunctions.none(), BumpFunctions.overwrite());

    gossip.bump(p, 5);
    gossip.bump(p, 3);

    assertThat(value(p)).hasValue(3);
  }

  @Test
  void removingFromOnePeerLeavesTheOthers() {
    DecayingTag gossip = register(DecayFunctions.none(), BumpFunctions.sum());
    gossip.bump(p, 3);
    gossip.bump(q, 4);

    gossip.remove(p);
    gossip.remove(peer("unknown"));

    assertThat(value(p)).isEmpty();
    assertThat(cm.inspect().tagInfo(p).orElseThrow().value()).isZero();
    assertThat(value(q)).hasValue(4);
  }

  @Test
  void closingTheTagStripsItFromEveryPeerAndFreesItsName() {
    DecayingTag gossip = register(DecayFunctions.none(), BumpFunctions.sum());
    gossip.bump(p, 3);
    gossip.bump(q, 4);

    gossip.close();
    gossip.close();

    assertThat(value(p)).isEmpty();
    assertThat(value(q)).isEmpty();
    assertThat(cm.inspect().tagInfo(q).orElseThrow().value()).isZero();
    DecayingTag again = register(DecayFunctions.none(), BumpFunctions.sum());
    again.bump(p, 1);
    assertThat(value(p)).hasValue(1);
  }

  @Test
  void bumpingAClosedTagThrows() {
    DecayingTag gossip = register(DecayFunctions.none(), BumpFunctions.sum());
    gossip.close();

    assertThatIllegalStateException()
        .isThrownBy(() -> gossip.bump(p, 1))
        .withMessageContaining("gossip")
        .withMessageContaining("closed");
  }

  @Test
  void aSecondRegistrationUnderOneNameThrows() {
    register(DecayFunctions.none(), BumpFunctions.sum());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> register(DecayFunctions.fixed(1), BumpFunctions.overwrite()))
        .withMessageContaining("gossip");
  }

  @Test
  void whenThePeersLastConnectionClosesItsDecayingValueGoes() {
    DecayingTag gossip = register(DecayFunctions.fixed(1), BumpFunctions.sum());
    ManagedConnection r = closer.open(cm, "r");
    gossip.bump(peer("r"), 50);

    r.closed();
    tick(MINUTE); // decaying a departed peer must not resurrect it
    closer.open(cm, "r");

    assertThat(cm.inspect().tagInfo(peer("r")).orElseThrow().tags()).doesNotContainKey("gossip");
    gossip.bump(peer("r"), 2);
    assertThat(value(peer("r"))).hasValue(2);
  }

  @Test
  void bumpingAPeerWithoutConnectionCreatesATemporaryEntry() {
    DecayingTag gossip = register(DecayFunctions.none(), BumpFunctions.sum());

    gossip.bump(peer("stranger"), 4);

    assertThat(cm.inspect().tagInfo(peer("stranger")))
        .get()
        .satisfies(
            info -> {
              assertThat(info.tags()).containsEntry("gossip", 4);
              assertThat(info.connections()).isEmpty();
            });
    clock.advance(PAST_GRACE);
    cm.maintain();
    assertThat(cm.inspect().tagInfo(peer("stranger"))).isEmpty();
  }

  @Test
  void decayedValuesChangeWhichConnectionATrimCloses() {
    DecayingTag gossip = register(DecayFunctions.linear(0.5), BumpFunctions.sum());
    gossip.bump(p, 8);
    cm.tagPeer(q, "plain", 3);
    clock.advance(PAST_GRACE);

    tick(MINUTE); // p: 8 -> 4 still above q's 3
    tick(MINUTE); // p: 4 -> 2 now below q
    TrimReport report = cm.trim();

    assertThat(report.evicted())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.peer()).isEqualTo(p);
              assertThat(r.score()).isEqualTo(2.0);
              assertThat(r.breakdown()).containsEntry("tag:gossip", 2.0);
            });
  }

  @Test
  void concurrentUpkeepPassesApplyEachElapsedIntervalOnlyOnce() throws Exception {
    // maintain() is public and background upkeep calls it too: two passes may overlap.
    CountDownLatch inDecay = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DecayingTag gossip =
        register(
            (value, sinceBump) -> {
              if (value == 100) {
                inDecay.countDown();
                try {
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return value - 1;
            },
            BumpFunctions.sum());
    gossip.bump(p, 100);
    clock.advance(MINUTE);

    FutureTask<Void> first = new FutureTask<>(cm::maintain, null);
    Thread firstThread = new Thread(first, "upkeep-1");
    firstThread.start();
    assertThat(inDecay.await(10, TimeUnit.SECONDS)).isTrue();
    FutureTask<Void> second = new FutureTask<>(cm::maintain, null);
    Thread secondThread = new Thread(second, "upkeep-2");
    secondThread.start();
    awaitBlocked(secondThread);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);

    assertThat(value(p)).as("one interval elapsed: decayed once").hasValue(99);
  }

  @Test
  void aBumpRacingWithCloseLeavesNoValueBehind() throws Exception {
    DecayingTag gossip = register(DecayFunctions.none(), BumpFunctions.sum());
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // An upsert function runs under the peer's lock: use one to hold the bump at that lock.
    FutureTask<Void> holder =
        new FutureTask<>(
            () ->
                cm.upsertTag(
                    p,
                    "hold",
                    v -> {
                      holding.countDown();
                      try {
                        release.await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return v;
                    }),
            null);
    new Thread(holder, "holder").start();
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    FutureTask<Void> bump = new FutureTask<>(() -> gossip.bump(p, 5), null);
    Thread bumper = new Thread(bump, "bumper");
    bumper.start();
    awaitBlocked(bumper); // past the closed check, waiting for the peer

    gossip.close();
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> bump.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(value(p)).as("a closed tag holds no value anywhere").isEmpty();
    assertThat(cm.inspect().tagInfo(p).orElseThrow().value()).isZero();
  }

  /** Waits (bounded) until {@code t} blocks on a monitor or finishes. */
  private static void awaitBlocked(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.isAlive() && t.getState() != Thread.State.BLOCKED) {
      assertThat(System.nanoTime() - deadline).as("%s blocked in time", t.getName()).isNegative();
      Thread.yield();
    }
  }

  @Test
  void presetsRefuseNonsensicalParameters() {
    assertThatIllegalArgumentException().isThrownBy(() -> DecayFunctions.fixed(0));
    assertThatIllegalArgumentException().isThrownBy(() -> DecayFunctions.linear(1.0));
    assertThatIllegalArgumentException().isThrownBy(() -> DecayFunctions.linear(-0.1));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> DecayFunctions.expireAfter(Duration.ZERO));
    assertThatIllegalArgumentException().isThrownBy(() -> BumpFunctions.boundedSum(5, 4));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                cm.registerDecayingTag(
                    "t", Duration.ZERO, DecayFunctions.none(), BumpFunctions.sum()))
        .withMessageContaining("interval");
  }
}
