package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.Direction;
import io.connmgr.LeaseListener;
import io.connmgr.ManualClock;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The peer table with its connection slots and the real parts that change them (tags, protections,
 * leases, streams, closes), without rounds; and the check that the dense view in the slots agrees
 * with the entries.
 */
final class SlotFixture implements AutoCloseable {

  final ConnectionSlots slots = new ConnectionSlots();
  final Protections protections = new Protections();
  final ManualClock time = new ManualClock();
  final Clock clock = new Clock(time);
  final Leases leases = new Leases(clock, Duration.ofMinutes(1), Duration.ofMinutes(10));
  final PeerTable table = new PeerTable(clock, leases, protections, slots);
  final CallbackSupervisor supervisor = new CallbackSupervisor(null, "connmgr-test");
  final ListenerBus bus = new ListenerBus(supervisor, Duration.ofSeconds(1).toNanos());
  final OpenState open = new OpenState(supervisor);
  final PeerAnnotations peers =
      new PeerAnnotations(
          open,
          table,
          protections,
          new DecayingTags(table, clock, supervisor, Duration.ofSeconds(1).toNanos()),
          bus);
  final Closes closes =
      new Closes(
          table,
          () -> {},
          new EvictionHistory(10),
          new ReturningPeers(
              new EvictionMemorySettings(0, Duration.ofMinutes(1), Duration.ofSeconds(1), false),
              table),
          bus,
          supervisor);
  final TransportSide transport = new TransportSide(open, table, leases, closes);
  final CandidatePolicy policy = new CandidatePolicy(slots, protections, 0, table::connectionCount);

  static PeerId peer(int i) {
    return PeerId.of("peer-" + i);
  }

  /** Opens a connection (no per-peer cap); null never, as there is no cap. */
  ConnectionEntry open(PeerId peer, Direction direction) {
    return table.open(peer, direction, "10.0.0.1:4001", why -> {}, 0, false, clock.nanos());
  }

  LeaseImpl lease(ConnectionEntry c) {
    return transport.lease(c, null, Duration.ofSeconds(30), LeaseListener.releasing());
  }

  /**
   * Fails unless every open connection's slot holds exactly what its entry and its peer say, no two
   * connections share a slot, and every other slot below the limit is free. Call when no change is
   * under way.
   */
  void assertConsistent() {
    Map<Integer, ConnectionEntry> bySlot = new java.util.HashMap<>();
    for (PeerEntry peer : table.peers()) {
      synchronized (peer) {
        ConnectionEntry[] connections = peer.connectionArray();
        for (ConnectionEntry c : connections) {
          int s = c.slot();
          assertThat(bySlot.put(s, c)).as("slot %d held twice", s).isNull();
          int word = slots.word(s);
          assertThat(ConnectionSlots.generationOf(word))
              .as("generation of %s", c)
              .isEqualTo(c.generation());
          assertThat(ConnectionSlots.stateOf(word))
              .as("state of %s", c)
              .isEqualTo(ConnectionSlots.OPEN);
          assertThat(slots.entry(s)).isSameAs(c);
          assertThat(slots.value(s)).as("tag value of %s", c).isEqualTo(peer.tagValue());
          assertThat(slots.streams(s)).as("streams of %s", c).isEqualTo(c.streamCount());
          assertThat(slots.openedAt(s)).isEqualTo(c.openedAtNanos());
          int flags = slots.flags(s);
          assertThat((flags & ConnectionSlots.PROTECTED) != 0)
              .as("protected flag of %s", c)
              .isEqualTo(protections.isProtected(peer.id(), null));
          assertThat((flags & ConnectionSlots.LEASED) != 0)
              .as("leased flag of %s", c)
              .isEqualTo(c.leaseArray().length > 0);
          assertThat((flags & ConnectionSlots.ALONE_ON_PEER) != 0)
              .as("alone flag of %s", c)
              .isEqualTo(connections.length == 1);
          assertThat((flags & ConnectionSlots.OUTBOUND) != 0)
              .isEqualTo(c.direction() == Direction.OUTBOUND);
          assertThat((flags & ConnectionSlots.GRACE_WAIVED) != 0).isEqualTo(c.graceWaived());
        }
      }
    }
    for (int s = 0; s < slots.limit(); s++) {
      if (!bySlot.containsKey(s)) {
        assertThat(ConnectionSlots.stateOf(slots.word(s)))
            .as("state of unused slot %d", s)
            .isEqualTo(ConnectionSlots.FREE);
        assertThat(slots.entry(s)).as("entry of unused slot %d", s).isNull();
      }
    }
    assertThat(bySlot).hasSize(table.connectionCount());
  }

  /** Gathers every open connection as a round would, held back ones included, by entry. */
  Map<ConnectionEntry, Integer> gathered() {
    CandidatePolicy.Field f = policy.gather(clock.nanos(), true, true);
    Map<ConnectionEntry, Integer> seen = new IdentityHashMap<>();
    for (int i = 0; i < f.size(); i++) {
      assertThat(seen.put(f.connection(i), i)).as("gathered twice: %s", f.connection(i)).isNull();
    }
    return seen;
  }

  @Override
  public void close() {
    supervisor.shutdown();
  }
}
