package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A subject remembers each scorer's last KEEP by the scorer's mark, apart from the others'. */
class ScoredEntryTest {

  @Test
  void eachScorersLastKeepIsRememberedApart() {
    PeerEntry peer = new PeerEntry(PeerId.of("a"), 0);
    ScoredEntry.KeepMark first = new ScoredEntry.KeepMark();
    ScoredEntry.KeepMark second = new ScoredEntry.KeepMark();

    peer.setKeptBy(first, true);
    peer.setKeptBy(second, true);
    peer.setKeptBy(first, false);

    assertThat(peer.isKeptBy(first)).isFalse();
    assertThat(peer.isKeptBy(second)).isTrue();
  }

  @Test
  void anUnregisteredScorersMarkLeavesAtTheNextChangeAndIsNeverAddedAgain() {
    PeerEntry peer = new PeerEntry(PeerId.of("a"), 0);
    ScoredEntry.KeepMark gone = new ScoredEntry.KeepMark();
    ScoredEntry.KeepMark other = new ScoredEntry.KeepMark();
    peer.setKeptBy(gone, true);
    gone.retire();

    peer.setKeptBy(other, true);

    assertThat(peer.isKeptBy(gone)).isFalse();
    peer.setKeptBy(gone, true);
    assertThat(peer.isKeptBy(gone)).isFalse();
    assertThat(peer.isKeptBy(other)).isTrue();
  }

  @Test
  void scorersAnsweringAtOnceEachLeaveTheirOwnLastAnswer() throws Exception {
    PeerEntry peer = new PeerEntry(PeerId.of("a"), 0);
    int threads = 4;
    List<ScoredEntry.KeepMark> marks = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ScoredEntry.KeepMark mark = new ScoredEntry.KeepMark();
        marks.add(mark);
        boolean lastIsKeep = t % 2 == 0;
        runs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100_000; i++) {
                    peer.setKeptBy(mark, i % 2 == 0);
                  }
                  peer.setKeptBy(mark, lastIsKeep);
                }));
      }
      for (Future<?> run : runs) {
        run.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int t = 0; t < threads; t++) {
      assertThat(peer.isKeptBy(marks.get(t))).as("scorer %d", t).isEqualTo(t % 2 == 0);
    }
  }
}
