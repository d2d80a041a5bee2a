package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An error a careless callback throws of its own making (a failed assertion, a runaway recursion)
 * counts as its failure, as an exception does, in upkeep's rounds too. (A veto's: {@link
 * VetoTest#aThrowingVetoCountsAsAllowAndIsCounted}; a closer's and a listener's: {@link
 * FailureTest}.)
 */
class CallbackErrorsTest {

  @Test
  void aLeaseListenerThatOverflowsItsStackCountsAsRelease() {
    try (Harness h = new Harness(1, 1)) {
      ManagedConnection leased = h.open("leased");
      h.open("valuable");
      h.cm.tagPeer(PeerId.of("valuable"), "t", 100);
      Lease lease =
          leased.lease(
              Duration.ofSeconds(5),
              l -> {
                throw new StackOverflowError();
              });
      h.clock.advance(Duration.ofSeconds(25)); // past grace, and the lease has elapsed

      h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("leased");
      assertThat(lease.isReleased()).isTrue();
    }
  }

  @Test
  void aDecayFunctionThatFailsAnAssertionLeavesTheValueAndUpkeepGoesOn() {
    try (Harness h = new Harness(ConnectionManager.builder().lowWater(10).highWater(20))) {
      DecayingTag tag =
          h.cm.registerDecayingTag(
              "d",
              Duration.ofSeconds(1),
              (value, elapsed) -> {
                throw new AssertionError("decay's own check failed");
              },
              BumpFunctions.sum());
      tag.bump(PeerId.of("a"), 5);
      h.clock.advance(Duration.ofSeconds(3));

      h.cm.maintain();
      h.cm.maintain();

      assertThat(h.cm.inspect().tagInfo(PeerId.of("a")).orElseThrow().tags()).containsEntry("d", 5);
    }
  }

  /**
   * Even an error no callback should throw (here a veto's {@code OutOfMemoryError}, in a round of
   * upkeep's) counts as the callback's failure: the veto counts as allow, the round closes, and
   * upkeep goes on. (Every kind of throwable against every callback: {@link
   * AnythingACallbackThrowsTest}.)
   */
  @Test
  void anErrorNoCallbackShouldThrowCountsAsItsFailureInUpkeepsRounds() {
    AtomicInteger reviews = new AtomicInteger();
    try (Harness h =
        new Harness(
            ConnectionManager.builder().lowWater(1).highWater(1).silencePeriod(Duration.ZERO),
            Duration.ofMillis(10))) {
      h.cm.registerVeto(
          "once",
          (c, r) -> {
            if (reviews.getAndIncrement() == 0) {
              throw new OutOfMemoryError("not really");
            }
            return Verdict.allow();
          });
      h.open("a");
      h.open("b");
      h.pastGrace();

      eventually(() -> assertThat(h.cm.connectionCount()).isEqualTo(1));
      assertThat(reviews).hasValue(1);
      assertThat(h.cm.inspect().vetoes())
          .singleElement()
          .satisfies(v -> assertThat(v.errors()).isEqualTo(1));
      h.open("c");
      eventually(() -> assertThat(h.cm.connectionCount()).isEqualTo(1)); // upkeep went on
    }
  }
}
