package io.connmgr.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.Lease;
import io.connmgr.LeaseDecision;
import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.connmgr.ManualClock;
import io.connmgr.PeerId;
import io.connmgr.Score;
import io.connmgr.StreamScorer;
import io.connmgr.StreamView;
import io.connmgr.TrimReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Bitswap: a stream scorer rates exchange streams by usefulness kept in typed state; a lease holds
 * the connection while a block transfer runs; when the lease elapses and the connection is about to
 * close, the listener extends (bounded) or lets go and connects to another provider.
 */
class BitswapLeaseTest {

  static final String BITSWAP = "/ipfs/bitswap/1.2.0";

  /** What a bitswap session records per stream. */
  static final class ExchangeStats {
    long bytesServed;
    int errors;

    int usefulness() {
      long score = bytesServed / 1024 - 50L * errors;
      return (int) Math.max(Score.MIN, Math.min(Score.MAX, score));
    }
  }

  static final AttachmentKey<ExchangeStats> STATS = AttachmentKey.of("bitswap", ExchangeStats::new);

  /** The transport: connections by peer, and a record of what the manager closed. */
  final Map<PeerId, ManagedConnection> open = new ConcurrentHashMap<>();

  final List<PeerId> closed = new ArrayList<>();
  final ManualClock clock = new ManualClock();
  final ConnectionManager cm =
      ConnectionManager.builder()
          .lowWater(3)
          .highWater(4)
          .gracePeriod(Duration.ZERO)
          .clock(clock)
          .maintenanceInterval(Duration.ZERO)
          .scorerBudget(Duration.ofSeconds(5))
          .maxLease(Duration.ofSeconds(30))
          .maxLeaseLifetime(Duration.ofSeconds(60))
          .build();

  ManagedConnection connect(String name) {
    PeerId peer = PeerId.of(name);
    ManagedConnection c =
        cm.connectionOpened(
            peer,
            Direction.OUTBOUND,
            "10.0.0.1:4001",
            why -> {
              closed.add(peer);
              open.remove(peer);
            });
    open.put(peer, c);
    return c;
  }

  @Test
  void usefulProvidersAreKeptAndAnElapsedTransferIsReplaced() {
    cm.registerStreamScorer(
        "bitswap", StreamScorer.of(BITSWAP, (StreamView s) -> s.state(STATS).usefulness()));

    // two useful providers serving blocks, one idle, one slow provider mid-transfer
    for (String name : List.of("useful-1", "useful-2")) {
      ManagedStream s = connect(name).openStream(BITSWAP, Direction.OUTBOUND);
      s.update(STATS, st -> st.bytesServed += 400 * 1024);
    }
    connect("idle");
    ManagedStream transfer = connect("slow").openStream(BITSWAP, Direction.OUTBOUND);
    transfer.update(
        STATS,
        st -> {
          st.bytesServed += 2 * 1024;
          st.errors = 1;
        });

    // the transfer holds its connection; when it elapses, extend once, then let go and replace
    List<String> decisions = new ArrayList<>();
    Lease lease =
        transfer.lease(
            Duration.ofSeconds(10),
            l -> {
              if (l.extend(Duration.ofSeconds(20))) {
                decisions.add("extended");
                return LeaseDecision.extend(Duration.ofSeconds(1));
              }
              decisions.add("released; connecting to another provider");
              connect("provider-2")
                  .openStream(BITSWAP, Direction.OUTBOUND)
                  .update(STATS, st -> st.bytesServed += 100 * 1024);
              return LeaseDecision.release();
            });

    TrimReport first = cm.trim(); // 4 open, low 3: the idle peer goes first
    assertThat(closed).containsExactly(PeerId.of("idle"));
    assertThat(first.evicted()).hasSize(1);
    assertThat(lease.isActive()).isTrue();

    clock.advance(Duration.ofSeconds(11)); // the transfer overran its lease
    connect("idle-a");
    cm.tagPeer(PeerId.of("idle-a"), "kad", 1); // worth a little more than the failing transfer
    cm.trim();
    assertThat(decisions).containsExactly("extended");
    assertThat(closed).containsExactly(PeerId.of("idle"), PeerId.of("idle-a"));

    clock.advance(Duration.ofSeconds(60)); // past the lease's lifetime: no more extensions
    connect("idle-b");
    cm.tagPeer(PeerId.of("idle-b"), "kad", 1);
    cm.trim();
    assertThat(decisions).containsExactly("extended", "released; connecting to another provider");
    assertThat(closed).containsExactly(PeerId.of("idle"), PeerId.of("idle-a"), PeerId.of("slow"));
    assertThat(open.keySet())
        .extracting(PeerId::value)
        .containsExactlyInAnyOrder("useful-1", "useful-2", "idle-b", "provider-2");
    assertThat(lease.isReleased()).isTrue();
  }

  @Test
  void aTransferLeaseThatIsReleasedOnCompletionNeverCallsBack() {
    ManagedConnection c = connect("a");
    connect("b");
    connect("c");
    connect("d");
    ManagedStream s = c.openStream(BITSWAP, Direction.INBOUND);
    Lease lease =
        s.lease(
            Duration.ofSeconds(10),
            l -> {
              throw new AssertionError("a released lease must not call back");
            });
    lease.release();
    clock.advance(Duration.ofSeconds(20));
    cm.trim();
    assertThat(closed).hasSize(1);
  }
}
