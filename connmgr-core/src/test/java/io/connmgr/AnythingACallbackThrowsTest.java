package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOError;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a callback throws counts as its failure, not only the exceptions Java makes a plugin
 * declare: a checked exception thrown where none is declared (Kotlin and Scala code, Lombok's
 * {@code @SneakyThrows}), an error of the plugin's own ({@code Error}, Kotlin's {@code
 * NotImplementedError}), {@code IOError}, an {@code OutOfMemoryError} under the heap pressure an
 * emergency round answers. Before, anything outside a short list made every round close nothing
 * (reported as "candidates exhausted"), made every {@code trim()} throw, left a connection closing
 * and the count short for good, or silenced a listener and killed a callback thread.
 */
class AnythingACallbackThrowsTest {

  static Stream<Named<Supplier<Throwable>>> throwables() {
    return Stream.of(
        named("an unchecked exception", () -> new IllegalStateException("plugin bug")),
        named("a checked exception nobody declared", () -> new IOException("disk gone")),
        named("an error of the plugin's own", () -> new Error("not implemented")),
        named("an IOError", () -> new IOError(new IOException("console gone"))),
        named("an OutOfMemoryError", () -> new OutOfMemoryError("Direct buffer memory")));
  }

  private static Named<Supplier<Throwable>> named(String name, Supplier<Throwable> throwable) {
    return Named.of(name, throwable);
  }

  @ParameterizedTest
  @MethodSource("throwables")
  void aScorerThatThrowsCountsAsAnErrorAndTheRoundStillReachesLowWater(Supplier<Throwable> t) {
    try (Harness h = new Harness(2, 4)) {
      openSix(h);
      h.cm.registerPeerScorer(
          "careless", p -> p.id().value().equals("p3") ? Sneaky.<Integer>raise(t.get()) : 5);
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(report.evicted()).hasSize(4);
      assertThat(report.stalledOn()).isNull();
      assertThat(h.cm.connectionCount()).isEqualTo(2);
      assertThat(h.cm.inspect().scorers())
          .singleElement()
          .satisfies(s -> assertThat(s.errors()).isEqualTo(1));
    }
  }

  @ParameterizedTest
  @MethodSource("throwables")
  void aVetoThatThrowsCountsAsAllowAndAsAnError(Supplier<Throwable> t) {
    try (Harness h = new Harness(2, 4)) {
      openSix(h);
      h.cm.registerVeto("careless", (c, round) -> Sneaky.raise(t.get()));
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(report.evicted()).hasSize(4);
      assertThat(report.vetoes()).isEmpty();
      assertThat(h.cm.inspect().vetoes())
          .singleElement()
          .satisfies(v -> assertThat(v.errors()).isEqualTo(4));
    }
  }

  @ParameterizedTest
  @MethodSource("throwables")
  void aLeaseListenerThatThrowsCountsAsRelease(Supplier<Throwable> t) {
    try (Harness h = new Harness(1, 1)) {
      ManagedConnection leased = h.open("leased");
      h.open("valuable");
      h.cm.tagPeer(PeerId.of("valuable"), "t", 100);
      Lease lease = leased.lease(Duration.ofSeconds(5), l -> Sneaky.raise(t.get()));
      h.clock.advance(Duration.ofSeconds(25)); // past grace, and the lease has elapsed

      TrimReport report = h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("leased");
      assertThat(report.stalledOn()).isNull();
      assertThat(lease.isReleased()).isTrue();
    }
  }

  /**
   * The close fails, the connection stays open (not closing) and counted, and the next round's
   * target is the full one: before, a closer's error left the connection closing and the count of
   * closes under way one too high for good, so every later round stopped one short of low water.
   */
  @ParameterizedTest
  @MethodSource("throwables")
  void aCloserThatThrowsFailsThatCloseOnlyAndTheNextRoundClosesIt(Supplier<Throwable> t) {
    try (Harness h = new Harness(1, 1)) {
      AtomicInteger calls = new AtomicInteger();
      ManagedConnection careless =
          h.cm.connectionOpened(
              PeerId.of("careless"),
              Direction.INBOUND,
              "127.0.0.1:4001",
              record -> {
                if (calls.getAndIncrement() == 0) {
                  Sneaky.raise(t.get());
                }
                h.closed.add(record);
              });
      h.open("valuable");
      h.cm.tagPeer(PeerId.of("valuable"), "t", 100);
      h.pastGrace();

      TrimReport failed = h.cm.trim();

      assertThat(failed.evicted()).isEmpty();
      assertThat(failed.skipped()).containsEntry(SkipReason.CLOSE_FAILED, 1);
      assertThat(careless.isOpen()).isTrue();
      assertThat(careless.isClosing()).isFalse();
      assertThat(h.cm.connectionCount()).isEqualTo(2);

      TrimReport retried = h.cm.trim();

      assertThat(retried.target()).isEqualTo(1);
      assertThat(h.closedPeers()).containsExactly("careless");
      assertThat(h.cm.connectionCount()).isEqualTo(1);
    }
  }

  /**
   * More such listeners than the manager has callback threads (8) each keep hearing every event,
   * and rounds still find a thread: before, each lost its lane after one throw and a checked
   * exception ended the callback thread while the pool still counted it.
   */
  @ParameterizedTest
  @MethodSource("throwables")
  void listenersThatThrowKeepHearingAndHoldNoCallbackThread(Supplier<Throwable> t) {
    try (Harness h = new Harness(2, 4)) {
      List<AtomicInteger> heard = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        AtomicInteger count = new AtomicInteger();
        heard.add(count);
        h.cm.addListener(
            new ConnectionManagerListener() {
              @Override
              public void onConnectionOpened(ConnectionView connection) {
                count.incrementAndGet();
                Sneaky.raise(t.get());
              }
            });
      }

      openSix(h);
      eventually(() -> assertThat(heard).allSatisfy(c -> assertThat(c).hasValue(6)));
      h.pastGrace();
      TrimReport report = h.cm.trim();

      assertThat(report.stalledOn()).isNull();
      assertThat(report.evicted()).hasSize(4);
      h.open("later");
      eventually(() -> assertThat(heard).allSatisfy(c -> assertThat(c).hasValue(7)));
    }
  }

  @ParameterizedTest
  @MethodSource("throwables")
  void aDecayFunctionThatThrowsLeavesTheValueAndUpkeepGoesOn(Supplier<Throwable> t) {
    try (Harness h = new Harness(ConnectionManager.builder().lowWater(10).highWater(20))) {
      AtomicInteger calls = new AtomicInteger();
      DecayingTag tag =
          h.cm.registerDecayingTag(
              "d",
              Duration.ofSeconds(1),
              (value, elapsed) -> {
                if (calls.getAndIncrement() == 0) {
                  Sneaky.raise(t.get());
                }
                return value - 1;
              },
              BumpFunctions.sum());
      tag.bump(PeerId.of("a"), 5);
      h.clock.advance(Duration.ofSeconds(1));

      h.cm.maintain();
      assertThat(h.cm.inspect().tagInfo(PeerId.of("a")).orElseThrow().tags()).containsEntry("d", 5);
      h.clock.advance(Duration.ofSeconds(1));
      h.cm.maintain();

      assertThat(calls).hasValueGreaterThan(1);
      assertThat(h.cm.inspect().tagInfo(PeerId.of("a")).orElseThrow().tags())
          .containsEntry("d", 4); // the interval it failed on is passed over
    }
  }

  private static void openSix(Harness h) {
    for (int i = 0; i < 6; i++) {
      h.open("p" + i);
    }
  }

  /** Throws any throwable from code that declares none, as Kotlin, Scala and Lombok can. */
  private static final class Sneaky {

    @SuppressWarnings("TypeParameterUnusedInFormals") // it returns nothing: it throws
    static <R> R raise(Throwable t) {
      throw Sneaky.<RuntimeException>as(t);
    }

    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
    private static <T extends Throwable> T as(Throwable t) throws T {
      throw (T) t;
    }
  }
}
