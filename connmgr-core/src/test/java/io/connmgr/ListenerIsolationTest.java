package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A listener that blocks never stops upkeep (rounds, decay, expiry of temporary entries), and a
 * stuck listener loses only its own events, counted.
 */
class ListenerIsolationTest {

  @Test
  void aListenerBlockedInOnRoundStopsNeitherUpkeepNorOtherListeners() {
    CountDownLatch never = new CountDownLatch(1);
    try (Harness h =
        new Harness(
            ConnectionManager.builder().lowWater(1).highWater(1).silencePeriod(Duration.ZERO),
            Duration.ofMillis(10))) {
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRound(TrimReport report) {
              try {
                never.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      AtomicInteger rounds = new AtomicInteger();
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRound(TrimReport report) {
              rounds.incrementAndGet();
            }
          });
      DecayingTag decaying =
          h.cm.registerDecayingTag(
              "d", Duration.ofSeconds(1), DecayFunctions.fixed(1), BumpFunctions.sum());

      for (int wave = 0; wave < 3; wave++) {
        h.open("a" + wave);
        h.open("b" + wave);
        h.pastGrace();
        eventually(() -> assertThat(h.cm.connectionCount()).isEqualTo(1));
      }
      eventually(() -> assertThat(rounds.get()).isGreaterThanOrEqualTo(3));

      // decay and temporary entries still expire on the upkeep thread
      decaying.bump(PeerId.of("temp"), 5);
      h.clock.advance(Duration.ofSeconds(30));
      eventually(() -> assertThat(h.cm.inspect().tagInfo(PeerId.of("temp"))).isEmpty());
    } finally {
      never.countDown();
    }
  }

  @Test
  void aStuckListenerLosesItsOwnEventsCountedAndNobodyElses() {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Duration budget = Duration.ofMillis(50);
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(5).highWater(10).callbackBudget(budget))) {
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onConnectionOpened(ConnectionView connection) {
              entered.countDown();
              try {
                never.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      AtomicInteger heard = new AtomicInteger();
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onConnectionOpened(ConnectionView connection) {
              heard.incrementAndGet();
            }
          });
      h.open("first");
      awaitLatch(entered);
      // stuck means no progress within the callback budget: real time, as budgets are
      await().pollDelay(budget.multipliedBy(3)).until(() -> true);
      int events = 4096 + 1000;

      for (int i = 0; i < events; i++) {
        h.open("p" + i);
      }

      eventually(() -> assertThat(heard).hasValue(events + 1));
      // the stuck one holds its first event and has 4096 waiting; the rest of its are dropped
      assertThat(h.cm.stats().droppedListenerEvents()).isEqualTo(events - 4096);
    } finally {
      never.countDown();
    }
  }

  @Test
  void aListenerThatKeepsUpHearsEveryEventOfAHugeRound() {
    int n = 20_000;
    try (Harness h = new Harness(ConnectionManager.builder().lowWater(10).highWater(n))) {
      AtomicInteger evictions = new AtomicInteger();
      AtomicInteger rounds = new AtomicInteger();
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onEviction(EvictionRecord record) {
              evictions.incrementAndGet();
              // a listener with real work to do: it falls behind a round's burst, yet keeps going
              java.util.concurrent.locks.LockSupport.parkNanos(2_000);
            }

            @Override
            public void onRound(TrimReport report) {
              rounds.incrementAndGet();
            }
          });
      for (int i = 0; i < n; i++) {
        h.open("p" + i);
      }
      h.pastGrace();

      TrimReport report = h.cm.trim();

      eventually(() -> assertThat(rounds).hasValue(1));
      assertThat(evictions).hasValue(report.evicted().size()).hasValue(n - 10);
      assertThat(h.cm.stats().droppedListenerEvents()).isZero();
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
