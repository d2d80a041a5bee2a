package io.connmgr.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.BumpFunctions;
import io.connmgr.ConnectionManager;
import io.connmgr.DecayFunctions;
import io.connmgr.DecayingTag;
import io.connmgr.Direction;
import io.connmgr.Lease;
import io.connmgr.LeaseDecision;
import io.connmgr.ManagedConnection;
import io.connmgr.ManualClock;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Gossip: mesh peers are leased for as long as they stay grafted; delivery counts decay. */
class GossipMeshTest {

  /** A toy mesh: grafted peers hold a lease renewed while they stay grafted. */
  static final class Mesh {
    final Set<PeerId> grafted = ConcurrentHashMap.newKeySet();
    final Map<PeerId, Lease> leases = new HashMap<>();

    void graft(ManagedConnection c) {
      grafted.add(c.peer());
      leases.put(
          c.peer(),
          c.lease(
              Duration.ofSeconds(30),
              l ->
                  grafted.contains(c.peer())
                      ? LeaseDecision.extend(Duration.ofSeconds(30))
                      : LeaseDecision.release()));
    }

    void prune(PeerId peer) {
      grafted.remove(peer);
      Lease lease = leases.remove(peer);
      if (lease != null) {
        lease.release();
      }
    }
  }

  @Test
  void graftedPeersSurviveRoundsAndDeliveryCountsDecay() {
    ManualClock clock = new ManualClock();
    List<String> closed = new ArrayList<>();
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .lowWater(3)
            .highWater(5)
            .gracePeriod(Duration.ZERO)
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .scorerBudget(Duration.ofSeconds(5))
            .maxLease(Duration.ofSeconds(30))
            .maxLeaseLifetime(Duration.ofHours(1))
            .build()) {
      DecayingTag deliveries =
          cm.registerDecayingTag(
              "gossip-deliveries",
              Duration.ofSeconds(10),
              DecayFunctions.linear(0.5),
              BumpFunctions.boundedSum(0, 100));
      Mesh mesh = new Mesh();
      Map<String, ManagedConnection> conns = new HashMap<>();
      for (String name : List.of("mesh-1", "mesh-2", "fanout-1", "fanout-2", "fanout-3")) {
        conns.put(
            name,
            cm.connectionOpened(
                PeerId.of(name), Direction.INBOUND, "10.0.0.1", why -> closed.add(name)));
      }
      mesh.graft(conns.get("mesh-1"));
      mesh.graft(conns.get("mesh-2"));
      deliveries.bump(PeerId.of("fanout-1"), 80);
      deliveries.bump(PeerId.of("fanout-1"), 80); // bounded at 100
      deliveries.bump(PeerId.of("fanout-2"), 8);
      assertThat(cm.inspect().tagInfo(PeerId.of("fanout-1")).orElseThrow().tags())
          .containsEntry("gossip-deliveries", 100);

      clock.advance(Duration.ofSeconds(40)); // leases elapsed, four decay intervals
      cm.maintain(); // 100 -> 6 (50, 25, 12, 6); 8 -> 0 removed
      assertThat(cm.inspect().tagInfo(PeerId.of("fanout-1")).orElseThrow().value()).isEqualTo(6);
      assertThat(cm.inspect().tagInfo(PeerId.of("fanout-2")).orElseThrow().tags())
          .doesNotContainKey("gossip-deliveries");

      cm.trim(); // 5 open, low 3: mesh peers extend their leases, the two weakest fanouts go
      assertThat(closed).containsExactlyInAnyOrder("fanout-2", "fanout-3");

      mesh.prune(PeerId.of("mesh-2"));
      cm.trim(); // 3 open: nothing to do
      assertThat(closed).hasSize(2);
      conns.put(
          "late",
          cm.connectionOpened(
              PeerId.of("late"), Direction.INBOUND, "10.0.0.2", why -> closed.add("late")));
      deliveries.bump(PeerId.of("late"), 50);
      cm.trim(); // 4 open, low 3: the pruned mesh peer (value 0) goes
      assertThat(closed).containsExactlyInAnyOrder("fanout-2", "fanout-3", "mesh-2");
    }
  }
}
