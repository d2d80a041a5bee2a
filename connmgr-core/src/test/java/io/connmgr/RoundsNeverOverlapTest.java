package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rounds never overlap in effect: whatever stalls (a veto, a closer, a lease listener), and whoever
 * starts the rounds (trim(), maintain(), the upkeep thread), the connections closed by rounds never
 * take the count below low water, and a round that stopped waiting never acts on its stale plan
 * when its callback comes back. 100 connections, low water 10, as in the issue that found rounds
 * emptying the node. Margins: the stalls are released by the test, never timed; the only timing is
 * the callback budget, which a stalled callback exceeds by construction.
 */
class RoundsNeverOverlapTest {

  private static final int LOW = 10;
  private static final Duration BUDGET = Duration.ofMillis(200);

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
  private Harness h;
  private Thread sampler;

  private void manager(ConnectionManager.Builder builder) {
    manager(builder, Duration.ZERO);
  }

  private void manager(ConnectionManager.Builder builder, Duration upkeep) {
    h = new Harness(builder.lowWater(LOW).highWater(LOW).callbackBudget(BUDGET), upkeep);
  }

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    if (sampler != null) {
      sampler.interrupt();
      sampler.join();
    }
    if (h != null) {
      h.close();
    }
  }

  /** Opens p0..p99 ranked in that order, past their grace period, and watches the count. */
  private void open100() {
    for (int i = 0; i < 100; i++) {
      h.open("p" + i);
      h.cm.tagPeer(PeerId.of("p" + i), "rank", i);
    }
    pastGraceAndWatch();
  }

  /** Moves past the grace period and starts recording the lowest count seen. */
  private void pastGraceAndWatch() {
    h.pastGrace();
    sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                lowest.accumulateAndGet(h.cm.connectionCount(), Math::min);
                Thread.onSpinWait();
              }
            });
    sampler.setDaemon(true);
    sampler.start();
  }

  /** A veto whose first review blocks until the test releases it. */
  private void vetoSlowOnce() {
    AtomicBoolean first = new AtomicBoolean(true);
    h.cm.registerVeto(
        "slow-once",
        (c, round) -> {
          blockOnce(first);
          return Verdict.allow();
        });
  }

  private void blockOnce(AtomicBoolean first) {
    if (first.compareAndSet(true, false)) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** After every stall is released and came back, the count settles at low water and stays. */
  private void settlesAtLowWater(Runnable round) {
    release.countDown();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              round.run();
              return h.cm.connectionCount() == LOW;
            });
    // the stalled round's callback came back long ago; nothing it planned closes now
    round.run();
    assertThat(h.cm.connectionCount()).isEqualTo(LOW);
    assertThat(lowest.get()).as("lowest count seen").isGreaterThanOrEqualTo(LOW);
  }

  @Test
  void aVetoSlowOnceNeverLetsTwoTrimsEmptyTheNode() {
    manager(ConnectionManager.builder());
    vetoSlowOnce();
    open100();

    TrimReport stalled = h.cm.trim();
    TrimReport second = h.cm.trim();

    settlesAtLowWater(h.cm::trim);
    assertThat(stalled.stalledOn()).isEqualTo("the veto 'slow-once'");
    assertThat(stalled.evicted()).isEmpty();
    assertThat(second.evicted()).as("nothing closes while the veto has not answered").isEmpty();
  }

  @Test
  void aVetoSlowOnceNeverLetsMaintainEmptyTheNode() {
    manager(ConnectionManager.builder());
    vetoSlowOnce();
    open100();

    h.cm.maintain();
    h.clock.advance(Duration.ofSeconds(11));
    h.cm.maintain();

    settlesAtLowWater(
        () -> {
          h.clock.advance(Duration.ofSeconds(11));
          h.cm.maintain();
        });
  }

  @Test
  void aVetoSlowOnceNeverLetsTheUpkeepThreadEmptyTheNode() {
    manager(ConnectionManager.builder().silencePeriod(Duration.ZERO), Duration.ofMillis(10));
    vetoSlowOnce();
    open100();

    settlesAtLowWater(() -> {});
  }

  @Test
  void aCloserSlowOnceIsNeverFollowedByOneCloseTooMany() {
    manager(ConnectionManager.builder());
    AtomicBoolean first = new AtomicBoolean(true);
    for (int i = 0; i < 100; i++) {
      h.cm.connectionOpened(PeerId.of("p" + i), Direction.INBOUND, "x", why -> blockOnce(first));
      h.cm.tagPeer(PeerId.of("p" + i), "rank", i);
    }
    pastGraceAndWatch();

    TrimReport stalled = h.cm.trim();
    TrimReport second = h.cm.trim();

    assertThat(stalled.stalledOn()).isEqualTo("the closer of connection 1");
    // the stuck connection still counts, but as being closed: the second round leaves it out
    assertThat(second.target()).isEqualTo(99 - LOW);
    settlesAtLowWater(h.cm::trim);
  }

  @Test
  void aLeaseListenerSlowOnceIsNeverFollowedByOneCloseTooMany() {
    manager(ConnectionManager.builder());
    AtomicBoolean first = new AtomicBoolean(true);
    for (int i = 0; i < 100; i++) {
      ManagedConnection c = h.open("p" + i);
      h.cm.tagPeer(PeerId.of("p" + i), "rank", i);
      c.lease(
          Duration.ofSeconds(1),
          lease -> {
            blockOnce(first);
            return LeaseDecision.release();
          });
    }
    pastGraceAndWatch();

    TrimReport stalled = h.cm.trim();
    h.cm.trim();

    assertThat(stalled.stalledOn()).startsWith("the lease listener of connection");
    settlesAtLowWater(h.cm::trim);
  }
}
