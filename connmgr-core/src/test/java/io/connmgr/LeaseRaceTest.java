package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A lease taken while its connection closes is released with it: once the transport's handle is
 * dropped, nothing of the connection (its entry, its peer, its closer) stays reachable from the
 * manager.
 */
class LeaseRaceTest {

  private static final int RACES = 100_000;

  @Test
  void aLeaseTakenWhileItsConnectionClosesNeverKeepsTheConnectionAlive() throws Exception {
    try (ConnectionManager cm = Managers.manager(new ManualClock(), 1, RACES + 10)) {
      List<WeakReference<Closer>> closers = new ArrayList<>(RACES);
      int leasesTaken = race(cm, closers);

      assertThat(cm.connectionCount()).isZero();
      assertThat(cm.peerCount()).isZero();
      assertThat(cm.stats().activeLeases()).isZero();
      assertThat(leasesTaken).as("some leases won their race").isPositive();
      assertThat(stillReachable(closers)).as("connections kept alive by a lease").isZero();
    }
  }

  /**
   * Opens a connection per race and closes it while another thread leases it; returns how many
   * leases were taken. Its own frame is gone once it returns, so it holds nothing either.
   */
  private static int race(ConnectionManager cm, List<WeakReference<Closer>> closers)
      throws Exception {
    AtomicReference<ManagedConnection> current = new AtomicReference<>();
    AtomicInteger leasesTaken = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(2);
    CyclicBarrier done = new CyclicBarrier(2);
    Thread leaser =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < RACES; i++) {
                  start.await(10, TimeUnit.SECONDS);
                  try {
                    current.get().lease(Duration.ofMinutes(1), LeaseListener.releasing());
                    leasesTaken.incrementAndGet();
                  } catch (IllegalStateException closedFirst) {
                    // the close won the race: no lease, nothing to leak
                  }
                  done.await(10, TimeUnit.SECONDS);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "leaser");
    leaser.start();
    for (int i = 0; i < RACES; i++) {
      Closer closer = new Closer() { // a new object per race, unlike a lambda capturing nothing
            @Override
            public void close(EvictionRecord why) {}
          };
      closers.add(new WeakReference<>(closer));
      ManagedConnection c =
          cm.connectionOpened(
              PeerId.of("racer-" + (i % 64)), Direction.INBOUND, "10.0.0.1:4001", closer);
      current.set(c);
      start.await(10, TimeUnit.SECONDS);
      c.closed();
      done.await(10, TimeUnit.SECONDS);
    }
    leaser.join(TimeUnit.SECONDS.toMillis(10));
    return leasesTaken.get();
  }

  /** Collects garbage until every reference is cleared or a few collections change nothing. */
  private static long stillReachable(List<WeakReference<Closer>> refs) throws InterruptedException {
    long alive = Long.MAX_VALUE;
    for (int unchanged = 0; unchanged < 5; ) {
      System.gc();
      Thread.sleep(20);
      long now = refs.stream().filter(r -> r.get() != null).count();
      unchanged = now < alive ? 0 : unchanged + 1;
      alive = now;
      if (alive == 0) {
        break;
      }
    }
    return alive;
  }
}
