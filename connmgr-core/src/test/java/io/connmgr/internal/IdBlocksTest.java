package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Ids by stripe blocks: unique under real threads, in order on one thread. */
class IdBlocksTest {

  @Test
  void oneThreadGetsOneTwoThreeAndOnAcrossBlocks() {
    IdBlocks ids = new IdBlocks();
    for (long expected = 1; expected <= 3 * IdBlocks.BLOCK + 5; expected++) {
      assertThat(ids.next()).isEqualTo(expected);
    }
  }

  @Test
  void threadsTakingIdsAtOnceNeverGetTheSameAndEachSeesItsOwnIncrease() throws Exception {
    IdBlocks ids = new IdBlocks();
    int threads = 2 * Stripes.COUNT + 1; // more threads than stripes: some share one
    int each = 20_000;
    List<long[]> taken = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long[] mine = new long[each];
      taken.add(mine);
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < each; i++) {
                  mine[i] = ids.next();
                }
              });
      workers.add(w);
      w.start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }

    Set<Long> all = new HashSet<>();
    for (long[] mine : taken) {
      for (int i = 0; i < each; i++) {
        assertThat(mine[i]).isPositive();
        assertThat(all.add(mine[i])).as("id %d handed out twice", mine[i]).isTrue();
        if (i > 0) {
          assertThat(mine[i]).isGreaterThan(mine[i - 1]);
        }
      }
    }
  }
}
