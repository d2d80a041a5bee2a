package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * close() during a round waits (bounded) for it and then closes every connection when asked to; a
 * call racing or following close() gets IllegalStateException, never anything else.
 */
class ShutdownRaceTest {

  @Test
  void closeDuringARoundWaitsForItThenClosesEveryConnection() throws Exception {
    CountDownLatch inCloser = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(5)
                .highWater(5)
                .callbackBudget(Duration.ofSeconds(30))
                .closeOnShutdown(true));
    List<String> closed = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 10; i++) {
      String name = "p" + i;
      h.cm.connectionOpened(
          PeerId.of(name),
          Direction.INBOUND,
          "x",
          why -> {
            if (name.equals("p0")) {
              inCloser.countDown();
              try {
                finish.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            closed.add(name);
          });
      h.cm.tagPeer(PeerId.of(name), "rank", i);
    }
    h.pastGrace();
    Thread round =
        new Thread(
            () -> {
              try {
                h.cm.trim();
              } catch (IllegalStateException expected) {
                // the round may not start if close() got there first; here it did start
              }
            });
    round.start();
    assertThat(inCloser.await(30, TimeUnit.SECONDS)).isTrue();

    Thread closing = new Thread(h.cm::close);
    closing.start();
    // close() waits for the round in flight; let the round go on
    finish.countDown();
    closing.join(TimeUnit.SECONDS.toMillis(60));
    round.join(TimeUnit.SECONDS.toMillis(60));

    assertThat(closing.isAlive()).isFalse();
    assertThat(closed).hasSize(10).doesNotHaveDuplicates();
    assertThat(h.cm.connectionCount()).isZero();
  }

  @Test
  void callsRacingCloseGetIllegalStateExceptionOnly() throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      Harness h =
          new Harness(ConnectionManager.builder().lowWater(1).highWater(1).closeOnShutdown(true));
      h.cm.registerConnectionScorer("s", c -> 1);
      List<Throwable> unexpected = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(2);
      Runnable caller =
          () -> {
            started.countDown();
            while (!stop.get()) {
              try {
                h.open("p" + System.nanoTime());
                h.pastGrace();
                h.cm.trim();
                h.cm.inspect().assess();
                h.cm.maintain();
              } catch (IllegalStateException expected) {
                if (h.cm.isClosed()) {
                  return;
                }
                unexpected.add(expected);
              } catch (RuntimeException | Error e) {
                unexpected.add(e);
                return;
              }
            }
          };
      Thread a = new Thread(caller);
      Thread b = new Thread(caller);
      a.start();
      b.start();
      started.await();
      h.cm.close();
      stop.set(true);
      a.join(30_000);
      b.join(30_000);

      assertThat(unexpected).isEmpty();
      assertThat(h.cm.connectionCount()).isZero();
    }
  }
}
