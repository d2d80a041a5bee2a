package io.connmgr;

import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.ManagerStats;
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
    ManagedConnection c =
        cm.connectionOpened(peer("p"), Direction.OUTBOUND, "192.0.2.7:4001", closer);
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

    Snapshot snap = cm.inspect().snapshot();

    assertThat(snap.takenAt()).isEqualTo(clock.instant());
    assertThat(snap.connections())
        .extracting(ConnectionView::id)
        .containsExactly(a1.id(), a2.id(), b.id());
    assertThat(snap.peers())
        .extracting(PeerView::id)
        .containsExactlyInAnyOrder(peer("a"), peer("b"), peer("temp"));
    assertThat(snap.peer(peer("a")))
        .get()
        .satisfies(
            a -> {
              assertThat(a.tags()).isEqualTo(Map.of("kad", 4));
              assertThat(a.tagValue()).isEqualTo(4);
              assertThat(a.protections()).isEmpty();
              assertThat(a.connections().isEmpty()).isFalse();
              assertThat(a.firstSeen()).isEqualTo(ManualClock.START);
              assertThat(a.connections())
                  .extracting(ConnectionView::id)
                  .containsExactlyInAnyOrder(a1.id(), a2.id());
            });
    assertThat(snap.peer(peer("b")))
        .get()
        .satisfies(p -> assertThat(p.protections()).containsExactly("relay"));
    assertThat(snap.peer(peer("temp")))
        .get()
        .satisfies(p -> assertThat(p.connections().isEmpty()).isTrue());
    assertThat(snap.connections())
        .filteredOn(c -> c.id() == a2.id())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.streamCount()).isEqualTo(2);
              assertThat(c.streams())
                  .extracting(StreamView::protocol)
                  .containsExactlyInAnyOrder("/chat/1", "/chat/2");
              assertThat(c.direction()).isEqualTo(Direction.OUTBOUND);
            });
    assertThat(snap.peer(peer("nobody"))).isEmpty();
  }

  @Test
  void aSnapshotIsACopyThatLaterChangesDoNotTouch() {
    ManagedConnection a = closer.open(cm, "a");
    cm.tagPeer(peer("a"), "kad", 4);
    Snapshot before = cm.inspect().snapshot();

    cm.tagPeer(peer("a"), "kad", 9);
    a.openStream("/chat/1", Direction.OUTBOUND);
    closer.open(cm, "b");
    a.closed();

    assertThat(before.connections()).extracting(ConnectionView::id).containsExactly(a.id());
    assertThat(before.connections().get(0).streamCount()).isZero();
    assertThat(before.peer(peer("a")))
        .get()
        .satisfies(p -> assertThat(p.tags()).containsEntry("kad", 4));
    assertThat(cm.inspect().snapshot().connections())
        .extracting(ConnectionView::peer)
        .containsExactly(peer("b"));
  }

  @Test
  void aSnapshotKeepsTheStateSetWhenItWasTakenAndNothingLater() {
    AttachmentKey<StringBuilder> notes = AttachmentKey.of("notes", StringBuilder::new);
    AttachmentKey<StringBuilder> later = AttachmentKey.of("later", StringBuilder::new);
    ManagedConnection a = closer.open(cm, "a");
    ManagedStream s = a.openStream("/chat/1", Direction.OUTBOUND);
    a.update(notes, n -> n.append("on the connection"));
    s.update(notes, n -> n.append("on the stream"));
    cm.updatePeer(peer("a"), notes, n -> n.append("on the peer"));
    Snapshot before = cm.inspect().snapshot();

    a.update(later, n -> n.append("after the snapshot"));
    s.update(later, n -> n.append("after the snapshot"));
    cm.updatePeer(peer("a"), later, n -> n.append("after the snapshot"));
    assertThat(cm.peerState(peer("a"), later)).hasToString("after the snapshot");
    a.closed();

    ConnectionView c = before.connections().get(0);
    StreamView stream = c.streams().get(0);
    PeerView p = before.peer(peer("a")).orElseThrow();
    for (Stateful subject : new Stateful[] {c, stream, p}) {
      assertThat(subject.attachments()).containsOnlyKeys("notes");
      StringBuilder fresh = subject.state(later);
      assertThat(fresh).as("a key unused at the snapshot answers a fresh initial value").isEmpty();
      fresh.append("changed through the snapshot");
      assertThat(subject.state(later)).isEmpty();
    }
    assertThat(c.state(notes)).hasToString("on the connection");
    assertThat(stream.state(notes)).hasToString("on the stream");
    assertThat(p.state(notes)).hasToString("on the peer");
  }

  @Test
  void noViewAndNoReadModelHasAMutator() {
    for (Class<?> type :
        new Class<?>[] {
          Stateful.class,
          PeerView.class,
          ConnectionView.class,
          StreamView.class,
          io.connmgr.inspect.PeerSnapshot.class,
          io.connmgr.inspect.ConnectionSnapshot.class,
          Snapshot.class
        }) {
      assertThat(type.getMethods())
          .as(type.getSimpleName())
          .extracting(java.lang.reflect.Method::getName)
          .noneMatch(
              name ->
                  name.startsWith("update")
                      || name.startsWith("set")
                      || name.startsWith("put")
                      || name.startsWith("add")
                      || name.startsWith("remove"));
    }
    assertThat(ManagedConnection.class.getMethods())
        .extracting(java.lang.reflect.Method::getName)
        .contains("update");
  }

  @Test
  void aSnapshotsCollectionsCannotBeChanged() {
    ManagedConnection a = closer.open(cm, "a");
    a.openStream("/chat/1", Direction.OUTBOUND);
    a.update(AttachmentKey.of("k", StringBuilder::new), n -> n.append("x"));
    cm.tagPeer(peer("a"), "kad", 4);
    cm.protect(peer("a"), "relay");
    Snapshot snap = cm.inspect().snapshot();
    io.connmgr.inspect.PeerSnapshot p = snap.peer(peer("a")).orElseThrow();
    io.connmgr.inspect.ConnectionSnapshot c = snap.connections().get(0);

    for (Runnable change :
        new Runnable[] {
          () -> snap.peers().clear(),
          () -> snap.connections().clear(),
          () -> p.tags().clear(),
          () -> p.protections().clear(),
          () -> p.connections().clear(),
          () -> p.attachments().clear(),
          () -> c.streams().clear(),
          () -> c.leases().clear(),
          () -> c.attachments().clear(),
          () -> c.streams().get(0).attachments().clear()
        }) {
      org.assertj.core.api.Assertions.assertThatThrownBy(change::run)
          .isInstanceOf(UnsupportedOperationException.class);
    }
    assertThat(cm.inspect().snapshot().peer(peer("a")).orElseThrow().tags())
        .containsEntry("kad", 4);
  }

  @Test
  void infoCountsPeersStreamsAndProtections() {
    ManagedConnection a = closer.open(cm, peer("a"), Direction.INBOUND);
    a.openStream("/x", Direction.OUTBOUND);
    closer.open(cm, peer("b"), Direction.OUTBOUND);
    cm.tagPeer(peer("temp"), "t", 1);
    cm.protect(peer("a"), "relay");
    cm.protect(peer("ghost"), "relay");

    ManagerStats info = cm.stats();

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
