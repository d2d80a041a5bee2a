package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.RecentEviction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Peers whose ids share one hash code (a peer chooses its id, and "Aa" and "BB" hash alike, as do
 * any two strings of as many of either) are connected, scored, evicted, remembered and decayed as
 * any others. The internal {@code CollidingHashesTest} keeps the hash tables behind this at O(log
 * n) per lookup among colliding ids; {@code CollidingIdsBenchmark} measures it.
 */
class CollidingIdsTest {

  private static final int PEERS = 2_048;

  @Test
  void peersWhoseIdsShareOneHashAreEvictedRememberedAndDecayedAsAnyOthers() {
    List<PeerId> ids = CollidingIds.of(PEERS, 11);
    assertThat(ids.stream().map(PeerId::hashCode).distinct()).hasSize(1);
    try (Harness h = new Harness(PEERS / 4, PEERS / 2)) {
      DecayingTag gossip =
          h.cm.registerDecayingTag(
              "gossip", Duration.ofSeconds(10), DecayFunctions.fixed(1), BumpFunctions.sum());
      for (int i = 0; i < PEERS; i++) {
        h.cm.connectionOpened(ids.get(i), Direction.INBOUND, "127.0.0.1:4001", h.closed::add);
        gossip.bump(ids.get(i), 10 + i); // each peer worth more than the one before
      }
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(report.evicted()).hasSize(PEERS - PEERS / 4);
      Set<String> closed = new HashSet<>(h.closedPeers());
      assertThat(closed)
          .as("the least valuable, each once")
          .hasSize(PEERS - PEERS / 4)
          .containsExactlyInAnyOrderElementsOf(
              ids.subList(0, PEERS - PEERS / 4).stream().map(PeerId::value).toList());
      for (int i = 0; i < PEERS; i++) {
        boolean evicted = i < PEERS - PEERS / 4;
        assertThat(h.cm.inspect().recentEviction(ids.get(i)).map(RecentEviction::timesEvicted))
            .as("remembered exactly when evicted: peer %d", i)
            .isEqualTo(evicted ? Optional.of(1) : Optional.empty());
      }
      assertThat(h.cm.inspect().recentlyEvictedPeers()).isEqualTo(PEERS - PEERS / 4);

      h.clock.advance(Duration.ofSeconds(10));
      h.cm.maintain();

      for (int i = PEERS - PEERS / 4; i < PEERS; i++) {
        assertThat(h.cm.inspect().tagInfo(ids.get(i)).orElseThrow().tags())
            .as(
                "decayed by each of the three intervals since its bump (21 s, then 10 s): peer %d",
                i)
            .containsEntry("gossip", 10 + i - 3);
      }
      assertThat(h.cm.connectionCount()).isEqualTo(PEERS / 4);
    }
  }

  /**
   * A peer scorer that answers KEEP (say, for routing-table peers) is remembered per peer, and for
   * peers of one hash code that memory holds as for any others: every kept peer stays kept round
   * after round, and once the scorer lets go of some they are closed. The memory was a {@code
   * WeakHashMap} keyed by the peer's entry, whose hash is the id's and whose crowded bins are
   * lists, so a round was quadratic in such peers; now a mark on the entry itself. What it costs:
   * {@code CollidingIdsBenchmark} with {@code scorer=keep-all} (docs/performance.md).
   */
  @Test
  void aScorersKeepHoldsForPeersWhoseIdsShareOneHashCode() {
    List<PeerId> ids = CollidingIds.of(4_096, 12);
    try (Harness h = new Harness(ids.size() / 4, ids.size() / 2)) {
      Set<PeerId> kept = ConcurrentHashMap.newKeySet();
      kept.addAll(ids);
      h.cm.registerPeerScorer("routing-table", peer -> kept.contains(peer.id()) ? Score.KEEP : 0);
      for (PeerId id : ids) {
        h.cm.connectionOpened(id, Direction.INBOUND, "127.0.0.1:4001", h.closed::add);
      }
      h.pastGrace();
      for (int round = 0; round < 3; round++) {
        TrimReport report = h.cm.trim();
        assertThat(report.evicted()).isEmpty();
        assertThat(report.skipped().get(SkipReason.KEPT_BY_SCORER)).isEqualTo(ids.size());
      }

      kept.removeAll(ids.subList(0, ids.size() / 2));
      TrimReport report = h.cm.trim();

      assertThat(report.evicted()).hasSize(ids.size() / 2); // all it let go of: the rest are kept
      assertThat(report.evicted())
          .extracting(EvictionRecord::peer)
          .doesNotContainAnyElementsOf(kept);
      assertThat(h.cm.connectionCount()).isEqualTo(ids.size() / 2);
    }
  }

  /**
   * Four transport threads open and close connections of their own colliding peers (some peers
   * found by the hashed key, most by their id: see {@code PeerTable.newEntry}) while another runs
   * rounds that close them too (a peer evicted lately may be refused above high water); afterwards
   * no connection and no peer entry is left behind, and no thread saw any other exception.
   */
  @Test
  void collidingPeersComingAndGoingWhileRoundsCloseThemLeaveNothingBehind() throws Exception {
    int threads = 4;
    int perThread = 256;
    List<PeerId> ids = CollidingIds.of(threads * perThread, 10);
    ConnectionManager cm =
        ConnectionManager.builder()
            .lowWater(50)
            .highWater(100)
            .gracePeriod(Duration.ZERO)
            .maintenanceInterval(Duration.ZERO)
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    AtomicBoolean done = new AtomicBoolean();
    try {
      List<Future<List<ManagedConnection>>> transports = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<PeerId> mine = ids.subList(t * perThread, (t + 1) * perThread);
        int seed = t;
        transports.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  List<ManagedConnection> open = new ArrayList<>();
                  for (int op = 0; op < 20_000; op++) {
                    if (open.isEmpty() || random.nextBoolean()) {
                      PeerId peer = mine.get(random.nextInt(perThread));
                      try {
                        open.add(
                            cm.connectionOpened(
                                peer, Direction.INBOUND, "127.0.0.1:4001", r -> {}));
                      } catch (ConnectionRefusedException refused) {
                        // evicted lately and back at or above high water: waits out its backoff
                      }
                    } else {
                      open.remove(random.nextInt(open.size())).closed();
                    }
                  }
                  return open;
                }));
      }
      Future<Integer> rounds =
          pool.submit(
              () -> {
                int count = 0;
                while (!done.get()) {
                  cm.trim();
                  count++;
                }
                return count;
              });
      for (Future<List<ManagedConnection>> transport : transports) {
        transport.get(2, TimeUnit.MINUTES).forEach(ManagedConnection::closed);
      }
      done.set(true);
      assertThat(rounds.get(1, TimeUnit.MINUTES)).isPositive();

      assertThat(cm.connectionCount()).isZero();
      assertThat(cm.peerCount()).as("every peer's entry left with its last connection").isZero();
    } finally {
      pool.shutdownNow();
      cm.close();
    }
  }
}
