package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A pretend transport for tests: opens connections whose closer records the eviction. */
public final class Connections {

  private final ConnectionManager manager;
  private final List<EvictionRecord> closed = new CopyOnWriteArrayList<>();
  private int port = 40000;

  public Connections(ConnectionManager manager) {
    this.manager = manager;
  }

  public ManagedConnection open(String peer) {
    return open(peer, Direction.INBOUND);
  }

  public synchronized ManagedConnection open(String peer, Direction direction) {
    return manager.connectionOpened(PeerId.of(peer), direction, "127.0.0.1:" + port++, closed::add);
  }

  public List<EvictionRecord> closed() {
    return closed;
  }

  public List<String> closedPeers() {
    return closed.stream().map(r -> r.peer().value()).toList();
  }
}
