package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.RecentEviction;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
}
