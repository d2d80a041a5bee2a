package io.connmgr.internal;

import io.connmgr.StreamView;
import io.connmgr.inspect.ConnectionSnapshot;
import io.connmgr.inspect.LeaseInfo;
import io.connmgr.inspect.PeerSnapshot;
import io.connmgr.inspect.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Copies the table into a {@link Snapshot}, each peer as one consistent whole under its lock. */
final class SnapshotBuilder {

  private SnapshotBuilder() {}

  static Snapshot take(PeerTable table, Protections protections, long now) {
    Instant takenAt = Clock.toInstant(now);
    List<PeerSnapshot> peers = new ArrayList<>(table.peerCount());
    List<ConnectionSnapshot> connections = new ArrayList<>(table.connectionCount());
    for (PeerEntry peer : table.peers()) {
      PeerSnapshot copy;
      synchronized (peer) {
        if (peer.isRemoved()) {
          continue;
        }
        List<ConnectionSnapshot> own = new ArrayList<>();
        for (ConnectionEntry c : peer.connectionArray()) {
          own.add(copyOf(c, takenAt));
        }
        StatefulEntry.StateCopy state = peer.stateCopy();
        copy =
            new PeerSnapshot(
                peer.id(),
                peer.firstSeen(),
                peer.tagValue(),
                peer.tags(),
                protections.tags(peer.id()),
                own,
                state.byKey(),
                state.byName());
      }
      peers.add(copy);
      connections.addAll(copy.connections());
    }
    connections.sort(Comparator.comparingLong(ConnectionSnapshot::id));
    return new Snapshot(takenAt, peers, connections);
  }

  private static ConnectionSnapshot copyOf(ConnectionEntry c, Instant takenAt) {
    List<StreamView> streams = new ArrayList<>();
    for (StreamEntry s : c.streamArray()) {
      streams.add(new StreamCopy(s));
    }
    List<LeaseInfo> held = new ArrayList<>();
    for (LeaseImpl lease : c.leaseArray()) {
      if (!lease.isReleased()) {
        held.add(
            new LeaseInfo(
                lease.startedAt(),
                lease.expiresAt(),
                lease.stream() == null ? null : lease.stream().id(),
                takenAt));
      }
    }
    StatefulEntry.StateCopy state = c.stateCopy();
    return new ConnectionSnapshot(
        c.id(),
        c.peer(),
        c.direction(),
        c.remoteAddress(),
        c.openedAt(),
        streams,
        held,
        state.byKey(),
        state.byName());
  }
}
