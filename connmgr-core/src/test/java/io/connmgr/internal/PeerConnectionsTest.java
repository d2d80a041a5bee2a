package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer holds its one connection itself and two or more in an array: the walks over every peer
 * (the open connections a veto lists, an operator's eviction by id) find each connection either
 * way, leave out one being closed, and a peer going from one connection to two and back keeps the
 * right one alone.
 */
class PeerConnectionsTest {

  @Test
  void theWalksFindAPeersOnlyConnectionAndEachOfSeveral() {
    try (SlotFixture f = new SlotFixture()) {
      ConnectionEntry alone = f.open(SlotFixture.peer(1), Direction.INBOUND);
      ConnectionEntry first = f.open(SlotFixture.peer(2), Direction.INBOUND);
      ConnectionEntry second = f.open(SlotFixture.peer(2), Direction.OUTBOUND);
      ConnectionEntry third = f.open(SlotFixture.peer(2), Direction.OUTBOUND);

      assertThat(f.table.openConnections()).containsExactlyInAnyOrder(alone, first, second, third);
      for (ConnectionEntry c : List.of(alone, first, second, third)) {
        assertThat(f.table.connection(c.id())).isSameAs(c);
      }
      assertThat(f.table.connection(third.id() + 1)).isNull();

      assertThat(alone.transition(ConnectionEntry.OPEN, ConnectionEntry.CLOSING)).isTrue();
      assertThat(second.transition(ConnectionEntry.OPEN, ConnectionEntry.CLOSING)).isTrue();

      assertThat(f.table.openConnections())
          .as("closing connections are not open ones")
          .containsExactlyInAnyOrder(first, third);
      assertThat(f.table.connection(alone.id())).as("found while closing").isSameAs(alone);
    }
  }

  @Test
  void aPeerGoingFromOneConnectionToTwoAndBackKeepsTheOneLeftAlone() {
    try (SlotFixture f = new SlotFixture()) {
      ConnectionEntry first = f.open(SlotFixture.peer(1), Direction.INBOUND);
      PeerEntry peer = first.peerEntry();
      assertThat(peer.connectionArray()).containsExactly(first);
      assertThat(peer.connectionCount()).isOne();

      ConnectionEntry second = f.open(SlotFixture.peer(1), Direction.OUTBOUND);
      assertThat(peer.connectionArray()).containsExactly(first, second);
      assertThat(peer.connectionCount()).isEqualTo(2);
      f.assertConsistent();

      assertThat(first.transition(ConnectionEntry.OPEN, ConnectionEntry.CLOSED)).isTrue();
      f.table.remove(first, null);

      assertThat(peer.connectionArray()).containsExactly(second);
      assertThat(peer.connectionCount()).isOne();
      f.assertConsistent(); // the alone flag of the one left
      assertThat(f.table.openConnections()).containsExactly(second);

      assertThat(second.transition(ConnectionEntry.OPEN, ConnectionEntry.CLOSED)).isTrue();
      f.table.remove(second, null);

      assertThat(peer.hasConnections()).isFalse();
      assertThat(peer.connectionCount()).isZero();
      assertThat(f.table.openConnections()).isEmpty();
    }
  }
}
