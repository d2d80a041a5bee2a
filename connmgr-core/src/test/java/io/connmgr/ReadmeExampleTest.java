package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The README's usage example, verbatim in spirit: if this breaks, the README is wrong. */
class ReadmeExampleTest {

  /** Per-connection latency, kept by the protocol that measures it. */
  static final class LatencyStats {
    private long samples;
    private long totalMillis;

    void record(Duration rtt) {
      samples++;
      totalMillis += rtt.toMillis();
    }

    long meanMillis() {
      return samples == 0 ? 0 : totalMillis / samples;
    }
  }

  static final AttachmentKey<LatencyStats> LATENCY = AttachmentKey.of("latency", LatencyStats::new);

  @Test
  void theReadmeExampleWorks() {
    List<String> closedByTransport = new CopyOnWriteArrayList<>();
    ManualClock clock = new ManualClock();

    try (ConnectionManager cm = ConnectionManager.builder()
        .lowWater(2).highWater(3)
        .gracePeriod(Duration.ofSeconds(20))
        .silencePeriod(Duration.ofSeconds(10))
        .clock(clock)                          // tests use a manual clock; default: system
        .maintenanceInterval(Duration.ZERO)    // no background thread in this example
        .scorerBudget(Duration.ofSeconds(5))   // default 5 ms; generous for a busy test machine
        .build()) {

      // transport side: report connections and give the manager a way to close them
      ManagedConnection a = cm.connectionOpened(PeerId.of("QmPeerA"), Direction.INBOUND,
          "10.0.0.1:4001", why -> closedByTransport.add("A: " + why.reason()));
      ManagedConnection b = cm.connectionOpened(PeerId.of("QmPeerB"), Direction.OUTBOUND,
          "10.0.0.2:4001", why -> closedByTransport.add("B: " + why.reason()));
      ManagedConnection c = cm.connectionOpened(PeerId.of("QmPeerC"), Direction.INBOUND,
          "10.0.0.3:4001", why -> closedByTransport.add("C: " + why.reason()));
      cm.connectionOpened(PeerId.of("QmPeerD"), Direction.INBOUND, "10.0.0.4:4001",
          why -> closedByTransport.add("D: " + why.reason()));

      // protocols: tags, protection, typed state, pull scorers, leases and vetoes
      cm.tagPeer(PeerId.of("QmPeerA"), "kad", 5);
      cm.protect(PeerId.of("QmPeerB"), "relay");
      c.update(LATENCY, stats -> stats.record(Duration.ofMillis(40)));
      cm.registerConnectionScorer("latency",
          conn -> conn.state(LATENCY).meanMillis() > 0 ? 100 : 0);
      ManagedStream transfer = a.openStream("/ipfs/bitswap/1.2.0", Direction.OUTBOUND);
      Lease lease = transfer.lease(Duration.ofSeconds(30), l -> LeaseDecision.release());
      cm.registerVeto("never-the-last", (candidate, round) ->
          cm.connectionCount() - round.planned().size() <= 1
              ? Verdict.veto("last connection") : Verdict.allow());

      clock.advance(Duration.ofSeconds(21)); // past the grace period
      TrimReport report = cm.trim();         // 4 open, low water 2: closes 2

      assertThat(report.evicted()).extracting(r -> r.peer().value())
          .containsExactly("QmPeerD", "QmPeerC");
      assertThat(report.skipped(SkipReason.PROTECTED)).isEqualTo(1);
      assertThat(report.skipped(SkipReason.LEASED)).isEqualTo(1);
      EvictionRecord why = cm.evictionHistory().get(0);
      assertThat(why.breakdown()).containsEntry("scorer:latency", 100.0);
      assertThat(closedByTransport).hasSize(2);
      assertThat(b.isOpen()).isTrue();
      lease.release();
      transfer.close();
    }
  }
}
