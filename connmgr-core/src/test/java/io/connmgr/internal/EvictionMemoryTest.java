package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.connmgr.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The eviction memory on its own, on a clock the test moves (nanoseconds passed in). */
class EvictionMemoryTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long WINDOW = 600 * SECOND;
  private static final long FIRST_BACKOFF = 30 * SECOND;
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private final EvictionMemory memory = new EvictionMemory(100, WINDOW, FIRST_BACKOFF);

  private static PeerId peer(String name) {
    return PeerId.of(name);
  }

  /** A fresh key of a fresh id each time: the memory must match peers by value, not instance. */
  private static PeerKey key(String name) {
    return PeerKey.of(PeerId.of(name));
  }

  @Test
  void aPeerIsRememberedForAWindowAfterItsLastEviction() {
    memory.evicted(key("e"), 0, AT, null);

    assertThat(memory.recall(peer("e"), WINDOW - 1)).isNotNull();
    assertThat(memory.recall(peer("e"), WINDOW)).isNull();
    assertThat(memory.recall(peer("never"), 0)).isNull();
    assertThat(memory.size(WINDOW)).isZero();
  }

  @Test
  void aFurtherEvictionWhileRememberedDoublesTheBackoffUpToTheWindow() {
    long now = 0;
    List<Long> backoffs = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      EvictionMemory.Entry e = memory.evicted(key("e"), now, AT, null);
      assertThat(e.times()).isEqualTo(i);
      backoffs.add(e.backoffNanos() / SECOND);
      now += 60 * SECOND; // back and evicted again a minute later: still remembered
    }

    assertThat(backoffs).containsExactly(30L, 60L, 120L, 240L, 480L, 600L, 600L, 600L);
  }

  @Test
  void aPeerForgottenStartsOverFromTheFirstBackoff() {
    memory.evicted(key("e"), 0, AT, null);
    memory.evicted(key("e"), SECOND, AT, null);

    EvictionMemory.Entry again = memory.evicted(key("e"), SECOND + WINDOW, AT, null);

    assertThat(again.times()).isEqualTo(1);
    assertThat(again.backoffNanos()).isEqualTo(FIRST_BACKOFF);
  }

  @Test
  void theBackoffLeftRunsDownWithTheClockAndIsFullIfTheClockStepsBack() {
    EvictionMemory.Entry e = memory.evicted(key("e"), 100 * SECOND, AT, null);

    assertThat(e.backoffLeftNanos(100 * SECOND)).isEqualTo(FIRST_BACKOFF);
    assertThat(e.backoffLeftNanos(110 * SECOND)).isEqualTo(20 * SECOND);
    assertThat(e.backoffLeftNanos(130 * SECOND)).isZero();
    assertThat(e.backoffLeftNanos(50 * SECOND)).isEqualTo(FIRST_BACKOFF);
    assertThat(e.forgottenInNanos(50 * SECOND, WINDOW)).isEqualTo(WINDOW);
    assertThat(e.forgottenInNanos(700 * SECOND, WINDOW)).isEqualTo(WINDOW - 600 * SECOND);
  }

  @Test
  void whenFullThePeerEvictedLongestAgoIsForgottenFirst() {
    EvictionMemory small = new EvictionMemory(3, WINDOW, FIRST_BACKOFF);
    small.evicted(key("a"), 0, AT, null);
    small.evicted(key("b"), 1, AT, null);
    small.evicted(key("c"), 2, AT, null);
    small.evicted(key("a"), 3, AT, null); // a moves to the back: b is now the oldest

    small.evicted(key("d"), 4, AT, null);

    assertThat(small.size(5)).isEqualTo(3);
    assertThat(small.recall(peer("b"), 5)).isNull();
    assertThat(small.recall(peer("a"), 5)).isNotNull();
    assertThat(small.recall(peer("c"), 5)).isNotNull();
    assertThat(small.recall(peer("d"), 5)).isNotNull();
  }

  @Test
  void expiredPeersLeaveAsNewEvictionsArriveSoTheMemoryNeverHoldsTheStale() {
    for (int i = 0; i < 50; i++) {
      memory.evicted(key("old-" + i), i, AT, null);
    }

    memory.evicted(key("new"), WINDOW + 49, AT, null);

    assertThat(memory.size(WINDOW + 49)).isEqualTo(1);
  }

  @Test
  void aMemoryOfSizeZeroRemembersNothing() {
    EvictionMemory off = new EvictionMemory(0, WINDOW, FIRST_BACKOFF);

    assertThat(off.enabled()).isFalse();
    assertThat(off.evicted(key("e"), 0, AT, null)).isNull();
    assertThat(off.recall(peer("e"), 0)).isNull();
  }

  @Test
  void theSavedStateIsHandedOutOnceAndTheEntryStays() {
    PeerEntry entry = new PeerEntry(peer("e"), 0);
    entry.setTag("keep", 100);
    memory.evicted(key("e"), 0, AT, SavedPeer.of(entry));

    assertThat(memory.takeSaved(peer("e"), SECOND)).isNotNull();
    assertThat(memory.takeSaved(peer("e"), 2 * SECOND)).isNull();
    assertThat(memory.recall(peer("e"), 2 * SECOND)).isNotNull();
  }

  @Test
  void anEntryWhoseSavedStateWasTakenIsStillForgottenOnTimeAndWhenFull() {
    EvictionMemory small = new EvictionMemory(2, WINDOW, FIRST_BACKOFF);
    small.evicted(key("a"), 0, AT, SavedPeer.of(new PeerEntry(peer("a"), 0)));
    small.evicted(key("b"), 1, AT, null);
    assertThat(small.takeSaved(peer("a"), 2)).isNotNull();

    small.evicted(key("c"), 3, AT, null); // full: a, evicted longest ago, goes

    assertThat(small.recall(peer("a"), 4)).isNull();
    assertThat(small.size(4)).isEqualTo(2);
    assertThat(small.size(WINDOW + 3)).isZero();
  }

  @Test
  void aPeerEvictedOverAndOverNeitherCrowdsOthersOutNorGrowsTheMemory() {
    EvictionMemory small = new EvictionMemory(3, WINDOW, FIRST_BACKOFF);
    small.evicted(key("quiet-1"), 0, AT, null);
    small.evicted(key("quiet-2"), 1, AT, null);
    for (int i = 0; i < 100_000; i++) {
      small.evicted(key("churner"), 2 + i, AT, null);
    }

    assertThat(small.size(200_000)).isEqualTo(3);
    assertThat(small.recall(peer("quiet-1"), 200_000)).isNotNull();
    assertThat(small.recall(peer("churner"), 200_000).times()).isEqualTo(100_000);
    small.evicted(key("new"), 200_001, AT, null); // full: quiet-1, the oldest, goes
    assertThat(small.recall(peer("quiet-1"), 200_002)).isNull();
    assertThat(small.recall(peer("quiet-2"), 200_002)).isNotNull();
  }

  @Test
  void aFirstBackoffLongerThanTheWindowIsCutToIt() {
    EvictionMemory odd = new EvictionMemory(10, 10 * SECOND, 60 * SECOND);

    assertThat(odd.evicted(key("e"), 0, AT, null).backoffNanos()).isEqualTo(10 * SECOND);
  }

  @Test
  void aHugeNumberOfEvictionsNeitherOverflowsTheCountNorTheBackoff() {
    EvictionMemory.Entry e = null;
    for (int i = 0; i < 100; i++) {
      e = memory.evicted(key("e"), i, AT, null);
    }

    assertThat(e.times()).isEqualTo(100);
    assertThat(e.backoffNanos()).isEqualTo(WINDOW);
    assertThat(memory.backoffAfter(Integer.MAX_VALUE)).isEqualTo(WINDOW);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new EvictionMemory(-1, 1, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new EvictionMemory(1, 0, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new EvictionMemory(1, 1, 0));
  }

  /**
   * Four threads evict, recall and take saved state of overlapping peers at once, in a memory large
   * enough for all of them and in a small one: the small one never holds more than its size, and in
   * the large one a peer each thread owns alone has exactly the count of its evictions.
   */
  @Test
  void concurrentEvictionsAndRecallsKeepTheBoundAndTheCounts() throws Exception {
    long forever = Long.MAX_VALUE / 4;
    EvictionMemory large = new EvictionMemory(1000, forever, FIRST_BACKOFF);
    EvictionMemory small = new EvictionMemory(64, forever, FIRST_BACKOFF);
    AtomicLong clock = new AtomicLong();
    AtomicLong oversize = new AtomicLong();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      PeerId own = peer("own-" + t);
      int seed = t;
      results.add(
          pool.submit(
              () -> {
                start.await();
                int ownEvictions = 0;
                for (int i = 0; i < 20_000; i++) {
                  long now = clock.incrementAndGet();
                  PeerId shared = peer("shared-" + ((i * 7 + seed) % 200));
                  for (EvictionMemory m : List.of(large, small)) {
                    m.evicted(PeerKey.of(shared), now, AT, null);
                    m.recall(peer("shared-" + (i % 200)), now);
                    m.takeSaved(peer("shared-" + (i % 50)), now);
                  }
                  if (i % 10 == 0) {
                    large.evicted(PeerKey.of(own), now, AT, null);
                    ownEvictions++;
                  }
                  if (small.size(now) > 64) {
                    oversize.incrementAndGet();
                  }
                }
                return ownEvictions;
              }));
    }
    start.countDown();
    for (int t = 0; t < threads; t++) {
      int ownEvictions = results.get(t).get(60, TimeUnit.SECONDS);
      assertThat(large.recall(peer("own-" + t), clock.get()).times()).isEqualTo(ownEvictions);
    }
    pool.shutdown();

    assertThat(oversize.get()).isZero();
    assertThat(small.size(clock.get())).isEqualTo(64);
    assertThat(large.size(clock.get())).isEqualTo(204);
  }
}
