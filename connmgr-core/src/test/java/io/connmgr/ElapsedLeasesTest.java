package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.connmgr.inspect.ConnectionSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Leases a protocol takes and leaves to expire: those whose listener can only release leave at the
 * next upkeep pass without a call, those whose listener may extend wait for the round that asks it,
 * and one connection holds a bounded number, each lease costing the same however many it holds.
 */
class ElapsedLeasesTest {

  /** The most leases one connection holds at once; see docs/core.md, "Bounds and limits". */
  private static final int MAX_LEASES_PER_CONNECTION = 131_072;

  private static ConnectionManager.Builder limits() {
    return ConnectionManager.builder()
        .lowWater(1)
        .highWater(2)
        .maxLease(Duration.ofSeconds(30))
        .maxLeaseLifetime(Duration.ofSeconds(100));
  }

  @Test
  void elapsedLeasesThatOnlyReleaseLeaveAtTheNextUpkeepAndStatsAndSnapshotAgree() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection busy = h.open("busy");
      h.open("other");
      List<Lease> leases = new ArrayList<>(100_000);
      long start = System.nanoTime();
      for (int i = 0; i < 100_000; i++) {
        leases.add(busy.lease(Duration.ofSeconds(5), LeaseListener.releasing()));
      }
      long took = System.nanoTime() - start;
      System.out.printf("100 000 leases on one connection took %.0f ms%n", took / 1e6);
      assertThat(h.cm.stats().activeLeases()).isEqualTo(100_000);
      assertThat(leasesIn(h, busy)).isEqualTo(100_000);

      h.clock.advance(Duration.ofSeconds(21));
      h.cm.maintain(); // below high water: no round, only upkeep

      assertThat(h.cm.stats().activeLeases()).isZero();
      assertThat(leasesIn(h, busy)).as("the snapshot lists no elapsed lease").isZero();
      assertThat(leases).allSatisfy(l -> assertThat(l.isReleased()).isTrue());
      assertThat(leases.get(0).extend(Duration.ofSeconds(1))).isFalse();

      assertThat(h.cm.trim().skipped().get(SkipReason.LEASED))
          .as("nothing holds it any more")
          .isZero();
    }
  }

  @Test
  void anElapsedLeaseWhoseListenerMayExtendWaitsForTheRoundThatAsksIt() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection held = h.open("held");
      h.open("other");
      AtomicInteger asked = new AtomicInteger();
      Lease lease =
          held.lease(
              Duration.ofSeconds(5),
              l -> {
                asked.incrementAndGet();
                return LeaseDecision.extend(Duration.ofSeconds(10));
              });
      h.pastGrace();

      h.cm.maintain();

      assertThat(asked).as("upkeep never asks a listener").hasValue(0);
      assertThat(lease.isReleased()).isFalse();
      assertThat(leasesIn(h, held)).isEqualTo(1);

      h.cm.trim();

      assertThat(asked).hasValue(1);
      assertThat(h.closedPeers()).containsExactly("other");
      assertThat(lease.isActive()).isTrue();
    }
  }

  @Test
  void aConnectionHoldsABoundedNumberOfLeasesAndElapsedReleasingOnesMakeRoom() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection c = h.open("a");
      for (int i = 0; i < MAX_LEASES_PER_CONNECTION - 1; i++) {
        c.lease(Duration.ofSeconds(5), LeaseListener.releasing());
      }
      Lease asksFirst = c.lease(Duration.ofSeconds(5), lease -> LeaseDecision.release());

      assertThatIllegalStateException()
          .isThrownBy(() -> c.lease(Duration.ofSeconds(5), LeaseListener.releasing()))
          .withMessageContaining("131072 leases");

      h.clock.advance(Duration.ofSeconds(6));
      Lease next = c.lease(Duration.ofSeconds(5), LeaseListener.releasing());

      assertThat(next.isActive()).as("room made by the elapsed ones, without upkeep").isTrue();
      assertThat(asksFirst.isReleased())
          .as("a lease whose listener may act waits for a round")
          .isFalse();
      assertThat(h.cm.stats().activeLeases()).isEqualTo(1);
    }
  }

  /**
   * Four threads take leases on four connections (most left to expire with {@code releasing()},
   * some with a listener of their own), release and extend them, while another moves the clock and
   * runs upkeep. Afterwards upkeep has released exactly the elapsed leases that need no call, never
   * one it raced an extension of, and stats and snapshot count what the threads still hold.
   */
  @Test
  void upkeepRacingTakesReleasesAndExtensionsReleasesExactlyTheElapsedOnesThatNeedNoCall()
      throws Exception {
    int threads = 4;
    LeaseListener ownListener = lease -> LeaseDecision.release();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try (Harness h = new Harness(limits().lowWater(100).highWater(100))) {
      List<ManagedConnection> connections = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        connections.add(h.open("peer-" + t));
      }
      AtomicBoolean done = new AtomicBoolean();
      Future<Integer> upkeep =
          pool.submit(
              () -> {
                int passes = 0;
                while (!done.get()) {
                  h.clock.advance(Duration.ofMillis(500));
                  h.cm.maintain();
                  passes++;
                }
                return passes;
              });
      List<Future<List<Taken>>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ManagedConnection c = connections.get(t);
        Random random = new Random(t);
        workers.add(
            pool.submit(
                () -> {
                  List<Taken> taken = new ArrayList<>();
                  for (int op = 0; op < 20_000; op++) {
                    int what = random.nextInt(10);
                    if (what < 6 || taken.isEmpty()) {
                      boolean own = what == 0;
                      Duration d = Duration.ofMillis(1 + random.nextInt(5_000));
                      taken.add(
                          new Taken(
                              c.lease(d, own ? ownListener : LeaseListener.releasing()), own));
                    } else if (what < 8) {
                      taken.get(random.nextInt(taken.size())).extend(random);
                    } else {
                      taken.get(random.nextInt(taken.size())).release();
                    }
                  }
                  return taken;
                }));
      }
      List<Taken> all = new ArrayList<>();
      for (Future<List<Taken>> worker : workers) {
        all.addAll(worker.get(2, TimeUnit.MINUTES));
      }
      done.set(true);
      assertThat(upkeep.get(1, TimeUnit.MINUTES)).isPositive();
      h.cm.maintain();
      Instant now = h.clock.instant();

      int active = 0;
      int held = 0;
      for (Taken t : all) {
        boolean elapsed = !t.lease.expiresAt().isAfter(now);
        if (t.releasedByUs) {
          assertThat(t.lease.isReleased()).isTrue();
        } else if (t.own) {
          assertThat(t.lease.isReleased()).as("upkeep never ends %s", t.lease).isFalse();
        } else {
          assertThat(t.lease.isReleased())
              .as("released by upkeep exactly when elapsed: %s at %s", t.lease, now)
              .isEqualTo(elapsed);
        }
        if (!t.lease.isReleased()) {
          held++;
          active += elapsed ? 0 : 1;
        }
      }
      assertThat(h.cm.stats().activeLeases()).isEqualTo(active);
      int listed = 0;
      for (ManagedConnection c : connections) {
        listed += leasesIn(h, c);
      }
      assertThat(listed).as("the snapshot lists every lease still held").isEqualTo(held);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A lease one worker took, and what that worker did with it. */
  private static final class Taken {
    private final Lease lease;
    private final boolean own;
    private boolean releasedByUs;

    Taken(Lease lease, boolean own) {
      this.lease = lease;
      this.own = own;
    }

    void extend(Random random) {
      lease.extend(Duration.ofMillis(1 + random.nextInt(3_000)));
    }

    void release() {
      lease.release();
      releasedByUs = true;
    }
  }

  /** How many leases the snapshot lists on {@code c}. */
  private static int leasesIn(Harness h, ManagedConnection c) {
    return h.cm.inspect().snapshot().connections().stream()
        .filter(s -> s.id() == c.id())
        .findFirst()
        .map(ConnectionSnapshot::leases)
        .orElseThrow()
        .size();
  }
}
