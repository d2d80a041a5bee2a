package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.PeerId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A decaying tag's holders: a set (adding twice or removing a stranger changes nothing), whose
 * snapshot is a copy that peers coming and going do not change, and which stays exact under threads
 * adding and removing at once while passes take snapshots.
 */
class HoldersTest {

  private static List<PeerEntry> peers(int n) {
    List<PeerEntry> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      peers.add(new PeerEntry(new PeerId("p" + i), 0));
    }
    return peers;
  }

  @Test
  void behavesAsASetWhateverTheOrderOfAddsAndRemoves() {
    List<PeerEntry> peers = peers(1_000);
    Holders holders = new Holders();
    Set<PeerEntry> expected = new HashSet<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int step = 0; step < 100_000; step++) {
      PeerEntry p = peers.get(random.nextInt(peers.size()));
      if (random.nextInt(3) == 0) {
        holders.remove(p);
        expected.remove(p);
      } else {
        holders.add(p);
        expected.add(p);
      }
    }
    assertThat(holders.snapshot()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aSnapshotIsACopyAndEmptiesAfterEveryoneLeft() {
    List<PeerEntry> peers = peers(100);
    Holders holders = new Holders();
    peers.forEach(holders::add);
    PeerEntry[] before = holders.snapshot();

    peers.forEach(holders::remove);
    holders.remove(peers.get(0)); // a second time: nothing

    assertThat(before).hasSize(100);
    assertThat(holders.snapshot()).isEmpty();
    holders.add(peers.get(5));
    holders.add(peers.get(5));
    assertThat(holders.snapshot()).containsExactly(peers.get(5));
    holders.clear();
    assertThat(holders.snapshot()).isEmpty();
  }

  @Test
  void threadsAddingAndRemovingWhilePassesTakeSnapshotsLeaveTheExactSet()
      throws InterruptedException {
    int threads = 4;
    List<PeerEntry> peers = peers(4_000);
    Holders holders = new Holders();
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      // each thread owns a quarter of the peers: adds them all, removes the odd ones, twice
      List<PeerEntry> own = peers.subList(t * 1_000, (t + 1) * 1_000);
      Thread thread =
          new Thread(
              () -> {
                for (int round = 0; round < 2; round++) {
                  own.forEach(holders::add);
                  for (int i = 1; i < own.size(); i += 2) {
                    holders.remove(own.get(i));
                  }
                }
                done.countDown();
              });
      started.add(thread);
      thread.start();
    }
    boolean finished;
    do {
      finished = done.await(0, TimeUnit.MILLISECONDS);
      assertThat(holders.snapshot()).doesNotContainNull().doesNotHaveDuplicates();
    } while (!finished);
    for (Thread t : started) {
      t.join();
    }

    List<PeerEntry> even = new ArrayList<>();
    for (int i = 0; i < peers.size(); i += 2) {
      even.add(peers.get(i));
    }
    assertThat(holders.snapshot()).containsExactlyInAnyOrderElementsOf(even);
  }
}
