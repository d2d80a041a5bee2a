package io.connmgr.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionScorer;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.connmgr.PeerId;
import io.connmgr.TrimReport;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Relay scoring computed when asked, identify that never holds, and pinned stable nodes. */
class RelayIdentifyPinnedTest {

  /** Live circuits through a connection, kept by the relay service. */
  static final class Circuits {
    final AtomicInteger active = new AtomicInteger();
  }

  static final AttachmentKey<Circuits> CIRCUITS = AttachmentKey.of("relay", Circuits::new);

  final List<String> closed = new ArrayList<>();
  final ConnectionManager cm =
      ConnectionManager.builder()
          .lowWater(2)
          .highWater(3)
          .gracePeriod(Duration.ZERO)
          .maintenanceInterval(Duration.ZERO)
          .scorerBudget(Duration.ofSeconds(5))
          .clock(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")))
          .build();

  ManagedConnection open(String name) {
    return cm.connectionOpened(
        PeerId.of(name), Direction.INBOUND, "10.0.0.1", why -> closed.add(name));
  }

  @Test
  void relayScoresByCircuitsCountedWhenAskedNeverPushed() {
    AtomicInteger asked = new AtomicInteger();
    ConnectionScorer relay =
        c -> {
          asked.incrementAndGet();
          return Math.min(1000, c.state(CIRCUITS).active.get() * 100);
        };
    cm.registerConnectionScorer("relay", relay);
    ManagedConnection busy = open("relay-busy");
    ManagedConnection quiet = open("relay-quiet");
    open("plain");
    open("plain-2");
    for (int i = 0; i < 5; i++) {
      busy.state(CIRCUITS).active.incrementAndGet(); // the relay counts; the manager is not told
    }
    quiet.state(CIRCUITS).active.incrementAndGet();
    assertThat(asked).hasValue(0);

    TrimReport report = cm.trim();

    assertThat(asked).hasValue(4);
    assertThat(closed).containsExactlyInAnyOrder("plain", "plain-2");
    assertThat(report.evicted())
        .allSatisfy(r -> assertThat(r.breakdown()).containsEntry("scorer:relay", 0.0));
  }

  @Test
  void identifyOpensAStreamDoesItsWorkAndNeverHoldsTheConnection() {
    ManagedConnection c = open("identified");
    open("other-1");
    open("other-2");
    cm.tagPeer(PeerId.of("other-1"), "kad", 1);
    cm.tagPeer(PeerId.of("other-2"), "kad", 1);
    try (ManagedStream identify = c.openStream("/ipfs/id/1.0.0", Direction.OUTBOUND)) {
      assertThat(identify.isOpen()).isTrue();
      assertThat(c.streamCount()).isEqualTo(1);
    }
    assertThat(c.streamCount()).isZero();

    cm.trim();

    assertThat(closed).containsExactly("identified");
    assertThat(c.isOpen()).isFalse();
  }

  @Test
  void pinnedStableNodesAreNeverClosed() {
    open("stable-1");
    open("stable-2");
    open("a");
    open("b");
    cm.pin(PeerId.of("stable-1"));
    cm.protect(PeerId.of("stable-2"), ConnectionManager.PIN_TAG);
    cm.tagPeer(PeerId.of("a"), "kad", 100);
    cm.tagPeer(PeerId.of("b"), "kad", 100);

    for (int round = 0; round < 3; round++) {
      open("newcomer-" + round);
      cm.trim();
    }

    assertThat(closed).doesNotContain("stable-1", "stable-2");
    assertThat(cm.isProtected(PeerId.of("stable-1"), ConnectionManager.PIN_TAG)).isTrue();
    assertThat(cm.unpin(PeerId.of("stable-1"))).isFalse();
  }
}
