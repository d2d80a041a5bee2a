package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.Direction;
import io.connmgr.LeaseListener;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the sequence of opens, closes (a transport's, and a round's, whose departed peers leave
 * the map only when it tidies up), tag, protection, lease and stream changes, the dense view in the
 * slots agrees with the entries after each step, a gather finds every open connection exactly once,
 * the peer count is the peers not departed, and each open stream counts the leases taken from it.
 */
class DenseViewPropertyTest {

  /** One step: what, on which of a few peers, with which small argument. */
  record Step(int kind, int peer, int arg) {}

  @Property(tries = 200)
  void theDenseViewAgreesWithTheEntriesAfterEveryStep(@ForAll("steps") List<Step> steps) {
    try (SlotFixture f = new SlotFixture()) {
      List<ConnectionEntry> open = new ArrayList<>();
      List<LeaseImpl> leases = new ArrayList<>();
      List<StreamEntry> streams = new ArrayList<>();
      DepartedPeers departed = new DepartedPeers(null);
      for (Step step : steps) {
        apply(f, step, open, leases, streams, departed);
        open.removeIf(c -> !c.isOpen());
        f.assertConsistent();
        assertThat(f.gathered().keySet()).containsExactlyInAnyOrderElementsOf(open);
        assertPeersAndStreams(f, open, streams);
      }
      f.table.forgetDeparted(departed);
      assertThat(f.table.peers()).noneMatch(PeerEntry::isRemoved);
      assertThat(f.table.peerCount()).isEqualTo(f.table.peers().size());
    }
  }

  private static void assertPeersAndStreams(
      SlotFixture f, List<ConnectionEntry> open, List<StreamEntry> streams) {
    long live = f.table.peers().stream().filter(e -> !e.isRemoved()).count();
    assertThat(f.table.peerCount()).as("peers not departed").isEqualTo(live);
    for (ConnectionEntry c : open) {
      assertThat(f.table.get(c.peer())).as("peer of an open connection").isSameAs(c.peerEntry());
    }
    for (StreamEntry s : streams) {
      int held = 0;
      for (LeaseImpl lease : s.connection().leaseArray()) {
        if (lease.stream() == s) {
          held++;
        }
      }
      assertThat(s.leaseCount()).as("leases of stream %s", s.id()).isEqualTo(held);
    }
  }

  private static void apply(
      SlotFixture f,
      Step step,
      List<ConnectionEntry> open,
      List<LeaseImpl> leases,
      List<StreamEntry> streams,
      DepartedPeers departed) {
    PeerId p = SlotFixture.peer(step.peer());
    switch (step.kind()) {
      case 0, 1 ->
          open.add(f.open(p, step.arg() % 2 == 0 ? Direction.INBOUND : Direction.OUTBOUND));
      case 2 -> {
        if (!open.isEmpty()) {
          f.closes.transportClosed(open.get(step.arg() % open.size()));
        }
      }
      case 3 -> f.peers.tagPeer(p, "t" + step.arg() % 3, step.arg() * 7 - 20);
      case 4 -> f.peers.untagPeer(p, "t" + step.arg() % 3);
      case 5 -> f.peers.protect(p, "x" + step.arg() % 2);
      case 6 -> f.peers.unprotect(p, "x" + step.arg() % 2);
      case 7 -> {
        if (!open.isEmpty()) {
          ConnectionEntry c = open.get(step.arg() % open.size());
          if (step.arg() % 2 == 0) {
            leases.add(f.lease(c));
          } else {
            streams.add(f.transport.openStream(c, "/p", Direction.OUTBOUND));
          }
        }
      }
      case 10 -> {
        if (!streams.isEmpty()) {
          StreamEntry s = streams.get(step.arg() % streams.size());
          if (s.isOpen()) {
            leases.add(
                f.transport.lease(
                    s.connection(), s, Duration.ofSeconds(30), LeaseListener.releasing()));
          }
        }
      }
      case 11 -> {
        // a round's close: its peer, if this was its last connection, waits in departed
        if (!open.isEmpty()) {
          ConnectionEntry c = open.get(step.arg() % open.size());
          if (c.transition(ConnectionEntry.OPEN, ConnectionEntry.CLOSED)) {
            f.table.remove(c, departed);
          }
        }
      }
      case 12 -> f.table.forgetDeparted(departed);
      case 8 -> {
        if (!leases.isEmpty()) {
          leases.remove(step.arg() % leases.size()).release();
        }
      }
      default -> {
        if (!streams.isEmpty()) {
          f.transport.closeStream(streams.remove(step.arg() % streams.size()));
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 12),
            Arbitraries.integers().between(0, 4),
            Arbitraries.integers().between(0, 20))
        .as(Step::new)
        .list()
        .ofMaxSize(60);
  }
}
