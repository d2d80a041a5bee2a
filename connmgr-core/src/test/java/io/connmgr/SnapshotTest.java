package io.connmgr;

import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.ManagerInfo;
import io.connmgr.inspect.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the transport's handles and a snapshot say about peers, connections and streams. */
class SnapshotTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private final ConnectionManager cm = Managers.manager(clock, 5, 10);

  @AfterEach
  void closeManager() {
    cm.close();
  }

  @Test
  void handlesDescribeTheirConnectionAndStreams() {
    Instant opened = clock.instant();
    ManagedConnection c = cm.connectionOpened(peer("p"), Direction.OUTBOUND, "192.0.2.7:4001",
        closer);
    clock.advance(Duration.ofSeconds(2));
    ManagedStream s = c.openStream("/ipfs/kad/1.0.0", Direction.INBOUND);

    assertThat(c.peer()).isEqualTo(peer("p"));
    assertThat(c.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(c.remoteAddress()).isEqualTo("192.0.2.7:4001");
    assertThat(c.openedAt()).isEqualTo(opened);
    assertThat(c.isOpen()).isTrue();
    assertThat(s.protocol()).isEqualTo("/ipfs/kad/1.0.0");
    assertThat(s.direction()).isEqualTo(Direction.INBOUND);
    assertThat(s.openedAt()).isEqualTo(opened.plusSeconds(2));
    assertThat(s.connection().id()).isEqualTo(c.id());
    assertThat(s.isOpen()).isTrue();
    assertThat(c.streams()).extracting(StreamView::id).containsExactly(s.id());
  }

  @Test
  void connectionIdsAreUniqueEvenAcrossClosedConnections() {
    ManagedConnection a = closer.open(cm, "p");
    a.closed();
    ManagedConnection b = closer.open(cm, "p");
    ManagedConnection c = closer.open(cm, "q");

    assertThat(java.util.List.of(a.id(), b.id(), c.id())).doesNotHaveDuplicates();
  }

  @Test
  void aSnapshotHoldsPeersConnectionsStreamsTagsAndProtections() {
    ManagedConnection a1 = closer.open(cm, peer("a"), Direction.INBOUND);
    clock.advance(Duration.ofSeconds(1));
    ManagedConnection a2 = closer.open(cm, peer("a"), Direction.OUTBOUND);
    a2.openStream("/chat/1", Direction.OUTBOUND);
    a2.openStream("/chat/2", Direction.INBOUND);
    ManagedConnection b = closer.open(cm, "b");
    cm.tagPeer(peer("a"), "kad", 4);
    cm.protect(peer("b"), "relay");
    cm.tagPeer(peer("temp"), "early", 1);
    clock.advance(Duration.ofSeconds(1));

    Snapshot snap = cm.snapshot();

    assertThat(snap.takenAt()).isEqualTo(clock.instant());
    assertThat(snap.connections()).extracting(ConnectionView::id)
        .containsExactly(a1.id(), a2.id(), b.id());
    assertThat(snap.peers()).extracting(PeerView::id)
        .containsExactlyInAnyOrder(peer("a"), peer("b"), peer("temp"));
    assertThat(snap.peer(peer("a"))).get().satisfies(a -> {
      assertThat(a.tags()).isEqualTo(Map.of("kad", 4));
      assertThat(a.tagValue()).isEqualTo(4);
      assertThat(a.protections()).isEmpty();
      assertThat(a.temporary()).isFalse();
      assertThat(a.firstSeen()).isEqualTo(ManualClock.START);
      assertThat(a.connections()).extracting(ConnectionView::id)
          .containsExactlyInAnyOrder(a1.id(), a2.id());
    });
    assertThat(snap.peer(peer("b"))).get()
        .satisfies(p -> assertThat(p.protections()).containsExactly("relay"));
    assertThat(snap.peer(peer("temp"))).get()
        .satisfies(p -> assertThat(p.temporary()).isTrue());
    assertThat(snap.connections()).filteredOn(c -> c.id() == a2.id()).singleElement()
        .satisfies(c -> {
          assertThat(c.streamCount()).isEqualTo(2);
          assertThat(c.streams()).extracting(StreamView::protocol)
              .containsExactlyInAnyOrder("/chat/1", "/chat/2");
          assertThat(c.direction()).isEqualTo(Direction.OUTBOUND);
        });
    assertThat(snap.peer(peer("nobody"))).isEmpty();
  }

  @Test
  void aSnapshotIsACopyThatLaterChangesDoNotTouch() {
    ManagedConnection a = closer.open(cm, "a");
    cm.tagPeer(peer("a"), "kad", 4);
    Snapshot before = cm.snapshot();

    cm.tagPeer(peer("a"), "kad", 9);
    a.openStream("/chat/1", Direction.OUTBOUND);
    closer.open(cm, "b");
    a.closed();

    assertThat(before.connections()).extracting(ConnectionView::id).containsExactly(a.id());
    assertThat(before.connections().get(0).streamCount()).isZero();
    assertThat(before.peer(peer("a"))).get()
        .satisfies(p -> assertThat(p.tags()).containsEntry("kad", 4));
    assertThat(cm.snapshot().connections()).extracting(ConnectionView::peer)
        .containsExactly(peer("b"));
  }

  @Test
  void infoCountsPeersStreamsAndProtections() {
    ManagedConnection a = closer.open(cm, peer("a"), Direction.INBOUND);
    a.openStream("/x", Direction.OUTBOUND);
    closer.open(cm, peer("b"), Direction.OUTBOUND);
    cm.tagPeer(peer("temp"), "t", 1);
    cm.protect(peer("a"), "relay");
    cm.protect(peer("ghost"), "relay");

    ManagerInfo info = cm.info();

    assertThat(info.connectionCount()).isEqualTo(2);
    assertThat(info.inbound()).isEqualTo(1);
    assertThat(info.outbound()).isEqualTo(1);
    assertThat(info.peerCount()).isEqualTo(3);
    assertThat(info.streamCount()).isEqualTo(1);
    assertThat(info.protectedPeers()).isEqualTo(2);
    assertThat(info.activeLeases()).isZero();
    assertThat(info.lastReport()).isEmpty();
    assertThat(cm.peerCount()).isEqualTo(3);
  }
}
