package io.connmgr.console;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake transport for the console tests: opens connections and records the closes. */
final class Swarm {

  final ConnectionManager manager;
  final List<EvictionRecord> closed = new CopyOnWriteArrayList<>();

  Swarm(ConnectionManager manager) {
    this.manager = manager;
  }

  ManagedConnection open(String peer, Direction direction) {
    return manager.connectionOpened(PeerId.of(peer), direction, "10.0.0.1:4001", closed::add);
  }

  ManagedConnection open(String peer) {
    return open(peer, Direction.INBOUND);
  }

  List<String> closedPeers() {
    return closed.stream().map(r -> r.peer().value()).toList();
  }
}
