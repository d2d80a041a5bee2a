package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * At the total cap, the thread that reports a new connection (a transport's I/O thread, shared by
 * every connection of its event loop) never waits for a callback: making room (the newcomer's peer
 * scorers, a ranking of every connection, the victim's vetoes and closer) runs on a callback
 * thread, one displacement at a time, and a newcomer it cannot wait for is refused with a
 * retry-after. Before, each newcomer at the cap held its event loop for up to a scorer budget plus
 * a callback budget (1.2 s a connection with a 300 ms scorer).
 */
class AdmissionNeverWaitsTest {

  private static final Duration LONG_BUDGET = Duration.ofSeconds(60);

  @Test
  void aHungPeerScorerHoldsNeitherTheConnectingThreadNorALaterNewcomer() throws Exception {
    CountDownLatch scorerHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Harness h = atTheCap()) {
      h.open("idle-3");
      h.cm.tagPeer(PeerId.of("idle-3"), "v", 3);
      h.pastGrace();
      h.cm.registerPeerScorer(
          "slow-reputation",
          p -> {
            if (p.id().value().equals("valuable")) {
              scorerHeld.countDown();
              awaitQuietly(release);
            }
            return 0;
          });

      ConnectionRefusedException first = openOnAnotherThread(h, "valuable");

      assertThat(scorerHeld.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(release.getCount()).as("the scorer is still held").isEqualTo(1);
      assertThat(first.limit()).isEqualTo(AdmissionLimit.MAX_CONNECTIONS);
      assertThat(first.retryAfter()).isPresent();
      assertThat(first.getMessage()).contains("under way");

      ConnectionRefusedException meanwhile = openOnAnotherThread(h, "also-valuable");
      assertThat(meanwhile.retryAfter()).isPresent();
      assertThat(h.closed).as("nothing closed while the newcomer's scorer is held").isEmpty();

      release.countDown();
      eventually(() -> assertThat(h.closedPeers()).containsExactly("idle-0"));
      ManagedConnection retried = h.open("valuable");

      assertThat(retried.isOpen()).isTrue();
      assertThat(h.cm.connectionCount()).isEqualTo(4);
      assertThat(h.closedPeers()).containsExactly("idle-0");
    }
  }

  @Test
  void aHungCloserOfTheVictimDoesNotHoldTheConnectingThread() throws Exception {
    CountDownLatch closerHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Harness h = atTheCap()) {
      h.cm.connectionOpened(
          PeerId.of("stuck"),
          Direction.INBOUND,
          "127.0.0.1:4002",
          record -> {
            closerHeld.countDown();
            awaitQuietly(release);
          });
      h.cm.tagPeer(PeerId.of("stuck"), "v", -1); // the lowest: the first victim
      h.pastGrace();

      ConnectionRefusedException refused = openOnAnotherThread(h, "valuable");

      assertThat(closerHeld.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(refused.retryAfter()).isPresent();
      release.countDown();
      eventually(() -> assertThat(h.cm.connectionCount()).isEqualTo(3));
      assertThat(h.open("valuable").isOpen()).isTrue();
      assertThat(h.cm.connectionCount()).isEqualTo(4);
    }
  }

  /**
   * Four threads bring forty valuable newcomers to a full node at once, each retrying when told to,
   * while a fifth watches the count: it never passes the cap, every newcomer gets in, and exactly
   * one idle connection was closed for each (one displacement at a time: no victim for an attempt
   * that got no room, no room left over).
   */
  @Test
  void newcomersRacingAtTheCapEachDisplaceExactlyOneVictim() throws Exception {
    int cap = 60;
    int threads = 4;
    int each = 10;
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(20).highWater(40).maxConnections(cap))) {
      for (int i = 0; i < cap; i++) {
        h.open("idle-" + i);
        h.cm.tagPeer(PeerId.of("idle-" + i), "v", i);
      }
      h.pastGrace();
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < each; i++) {
          h.cm.tagPeer(PeerId.of("new-" + t + "-" + i), "kad", 1_000);
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger mostSeen = new AtomicInteger();
      try {
        Future<?> watcher =
            pool.submit(
                () -> {
                  while (!done.get()) {
                    mostSeen.accumulateAndGet(h.cm.connectionCount(), Math::max);
                  }
                });
        List<Future<?>> newcomers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          newcomers.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      openWhenAdmitted(h, "new-" + thread + "-" + i);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : newcomers) {
          f.get(60, TimeUnit.SECONDS);
        }
        done.set(true);
        watcher.get(10, TimeUnit.SECONDS);
      } finally {
        done.set(true);
        pool.shutdownNow();
      }

      assertThat(mostSeen.get()).isLessThanOrEqualTo(cap);
      assertThat(h.cm.connectionCount()).isEqualTo(cap);
      assertThat(h.closedPeers())
          .hasSize(threads * each)
          .allSatisfy(peer -> assertThat(peer).startsWith("idle-"))
          .doesNotHaveDuplicates();
    }
  }

  /** Opens {@code peer}, trying again while it is told to retry. */
  private static void openWhenAdmitted(Harness h, String peer) {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        h.open(peer);
        return;
      } catch (ConnectionRefusedException e) {
        if (e.retryAfter().isEmpty() || System.nanoTime() > giveUp) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }

  /** Three idle connections worth 0 to 2, cap 4, and two valuable peers known by their tags. */
  private static Harness atTheCap() {
    Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(2)
                .highWater(3)
                .maxConnections(4)
                .scorerBudget(LONG_BUDGET)
                .callbackBudget(LONG_BUDGET));
    for (int i = 0; i < 3; i++) {
      h.open("idle-" + i);
      h.cm.tagPeer(PeerId.of("idle-" + i), "v", i);
    }
    h.cm.tagPeer(PeerId.of("valuable"), "kad", 50);
    h.cm.tagPeer(PeerId.of("also-valuable"), "kad", 50);
    return h;
  }

  /**
   * What opening {@code peer} throws, from a thread of its own: with the old behaviour the call
   * would still be waiting on the held callback, and this fails after 20 s instead of hanging.
   */
  private static ConnectionRefusedException openOnAnotherThread(Harness h, String peer)
      throws Exception {
    CompletableFuture<Throwable> thrown =
        CompletableFuture.supplyAsync(
            () -> catchThrowableOfType(ConnectionRefusedException.class, () -> h.open(peer)));
    Throwable t = thrown.get(20, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(ConnectionRefusedException.class);
    return (ConnectionRefusedException) t;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
