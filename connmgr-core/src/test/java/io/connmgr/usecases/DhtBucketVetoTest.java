package io.connmgr.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.CloseVeto;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionView;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import io.connmgr.SkipReason;
import io.connmgr.TrimReport;
import io.connmgr.TrimRound;
import io.connmgr.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * DHT: every routing-table peer is worth a little, and a veto keeps the manager from emptying a
 * bucket, counting what the round already planned to close.
 */
class DhtBucketVetoTest {

  /** A toy Kademlia routing table: peer to bucket index. */
  static final class RoutingTable {
    final Map<PeerId, Integer> bucketOf = new ConcurrentHashMap<>();

    int bucket(PeerId peer) {
      return bucketOf.getOrDefault(peer, -1);
    }

    int size(int bucket) {
      return (int) bucketOf.values().stream().filter(b -> b == bucket).count();
    }
  }

  /** Vetoes closing the last peer of a bucket, counting the round's planned closes. */
  static final class KeepBucketsNonEmpty implements CloseVeto {
    private final RoutingTable table;

    KeepBucketsNonEmpty(RoutingTable table) {
      this.table = table;
    }

    @Override
    public Verdict review(ConnectionView candidate, TrimRound round) {
      int bucket = table.bucket(candidate.peer());
      if (bucket < 0) {
        return Verdict.allow();
      }
      long plannedInBucket =
          round.planned().stream().filter(c -> table.bucket(c.peer()) == bucket).count();
      return table.size(bucket) - plannedInBucket <= 1
          ? Verdict.veto("last peer of DHT bucket " + bucket)
          : Verdict.allow();
    }
  }

  @Test
  void theVetoKeepsEveryOneOfTwentyBucketsNonEmpty() {
    InstantSource clock = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));
    RoutingTable table = new RoutingTable();
    Set<PeerId> closed = ConcurrentHashMap.newKeySet();
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .lowWater(10)
            .highWater(100)
            .gracePeriod(Duration.ZERO)
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .scorerBudget(Duration.ofSeconds(5))
            .build()) {
      cm.registerVeto("kad-buckets", new KeepBucketsNonEmpty(table));
      // 20 buckets of uneven sizes (1..10 peers), and 60 peers outside the DHT
      int n = 0;
      for (int bucket = 0; bucket < 20; bucket++) {
        for (int i = 0; i <= bucket % 10; i++) {
          PeerId peer = PeerId.of("dht-" + bucket + "-" + i);
          table.bucketOf.put(peer, bucket);
          cm.connectionOpened(peer, Direction.OUTBOUND, "10.0.0." + n++, why -> closed.add(peer));
          cm.tagPeer(peer, "kad", 1); // every routing-table peer is worth a little
        }
      }
      for (int i = 0; i < 60; i++) {
        PeerId peer = PeerId.of("other-" + i);
        cm.connectionOpened(peer, Direction.INBOUND, "10.1.0." + i, why -> closed.add(peer));
      }

      TrimReport report = cm.trim();

      Map<Integer, Integer> left = new HashMap<>();
      table.bucketOf.forEach(
          (peer, bucket) -> {
            if (!closed.contains(peer)) {
              left.merge(bucket, 1, Integer::sum);
            }
          });
      assertThat(left).hasSize(20);
      assertThat(left.values()).allSatisfy(size -> assertThat(size).isPositive());
      // 110 DHT peers in 20 buckets plus 60 others; the round wants 160 closed to reach 10,
      // but the veto holds back exactly the last peer of each bucket
      assertThat(left.values()).containsOnly(1);
      assertThat(report.target()).isEqualTo(160);
      assertThat(report.evicted()).hasSize(150);
      assertThat(report.reachedTarget()).isFalse();
      assertThat(report.skipped().get(SkipReason.VETOED)).isEqualTo(20);
      assertThat(report.vetoes()).containsEntry("kad-buckets", 20);
      // the non-DHT peers, tag value 0, went first
      Set<String> closedNames = new HashSet<>();
      closed.forEach(p -> closedNames.add(p.value()));
      assertThat(closedNames).filteredOn(s -> s.startsWith("other-")).hasSize(60);
    }
  }
}
