package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A closer, veto or lease listener that blocks never holds a round, nor the callers who join it:
 * the round returns once the callback has not returned within the callback budget, says what it
 * stopped waiting for, and does nothing more. A connection whose closer is stuck counts as gone for
 * the next rounds, so the late close never takes the count below low water.
 */
class StalledCallbackTest {

  /**
   * Long enough for a callback thread to start on a loaded 2-core machine (at 200 ms, none did in 2
   * of 5 full runs at load 10, and the round rightly stopped waiting for a thread instead of for
   * the stuck callback); the stuck callbacks here never return within any budget.
   */
  private static final Duration BUDGET = Duration.ofSeconds(1);

  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private final Harness h =
      new Harness(
          ConnectionManager.builder()
              .lowWater(1)
              .highWater(1)
              .callbackBudget(BUDGET)
              .scorerBudget(Duration.ofSeconds(5)));

  @AfterEach
  void letGo() {
    release.countDown();
    h.close();
  }

  private void await() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Opens peers p0..p(n-1), ranked in that order; the closer of {@code stuck} blocks. */
  private void openRanked(int n, String stuck) {
    for (int i = 0; i < n; i++) {
      String name = "p" + i;
      h.cm.connectionOpened(
          PeerId.of(name),
          Direction.INBOUND,
          "a",
          why -> {
            if (name.equals(stuck)) {
              await();
            }
            closed.add(name);
          });
      h.cm.tagPeer(PeerId.of(name), "rank", i);
    }
    h.pastGrace();
  }

  private long timed(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Test
  void aBlockingCloserDoesNotHoldTheRound() {
    openRanked(5, "p1");
    TrimReport[] report = new TrimReport[1];

    long millis = timed(() -> report[0] = h.cm.trim());

    assertThat(millis).isLessThan(BUDGET.toMillis() * 10);
    assertThat(report[0].stalledOn()).isNotNull();
    assertThat(report[0].stalledOn()).startsWith("the closer of connection");
    assertThat(report[0].summary()).contains("stopped waiting for the closer of connection");
    assertThat(report[0].evicted()).extracting(r -> r.peer().value()).containsExactly("p0");
    assertThat(closed).containsExactly("p0");

    assertThat(report[0].shortfall().get(Shortfall.STALLED)).isEqualTo(3);

    // the round is over: another one runs; the stuck connection still counts (4 open) but is
    // being closed, so the round wants 3 - 1 = 2 and leaves low water's one
    TrimReport next = h.cm.trim();
    assertThat(next.stalledOn()).isNull();
    assertThat(next.target()).isEqualTo(2);
    assertThat(closed).containsExactly("p0", "p2", "p3");
    assertThat(h.cm.connectionCount()).isEqualTo(2);

    release.countDown(); // the stuck closer returns; its close completes, and nothing else
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closed.contains("p1"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.cm.connectionCount() == 1);
    assertThat(h.cm.inspect().evictionHistory())
        .extracting(r -> r.peer().value())
        .containsExactlyInAnyOrder("p0", "p1", "p2", "p3");
  }

  @Test
  void aBlockingVetoDoesNotHoldTheRoundNorItsJoiners() throws Exception {
    openRanked(3, "none");
    h.cm.registerVeto(
        "slow",
        (c, round) -> {
          if (c.peer().value().equals("p0")) {
            await();
          }
          return Verdict.allow();
        });
    TrimReport[] joined = new TrimReport[1];
    Thread joiner = new Thread(() -> joined[0] = h.cm.trim());

    long millis =
        timed(
            () -> {
              joiner.start();
              TrimReport report = h.cm.trim();
              assertThat(report.stalledOn()).isEqualTo("the veto 'slow'");
            });
    joiner.join(10_000);

    assertThat(millis).isLessThan(BUDGET.toMillis() * 10);
    assertThat(joined[0]).isNotNull();
  }

  @Test
  void aBlockingLeaseListenerDoesNotHoldTheRound() {
    openRanked(3, "none");
    ManagedConnection leased = h.open("leased");
    leased.lease(
        Duration.ofSeconds(1),
        lease -> {
          await();
          return LeaseDecision.release();
        });
    h.clock.advance(Duration.ofSeconds(30));

    TrimReport report = h.cm.trim();

    assertThat(report.stalledOn()).isEqualTo("the lease listener of connection " + leased.id());
    assertThat(report.evicted()).isEmpty();
  }

  @Test
  void theBudgetMustBePositive() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().callbackBudget(Duration.ZERO).build())
        .withMessageContaining("callbackBudget");
  }
}
