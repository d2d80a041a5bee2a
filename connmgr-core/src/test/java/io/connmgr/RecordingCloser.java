package io.connmgr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fake transport's closer: it records every eviction it is asked for and, as a real transport
 * would once the socket is gone, reports the connection closed. Connections opened through {@link
 * #open} share it. A hook can run before the close ({@link #beforeClose}), for instance to throw or
 * to block.
 */
final class RecordingCloser implements Closer {

  /** Runs at the start of each close; an exception it throws fails the close. */
  @FunctionalInterface
  interface Hook {
    void run(EvictionRecord why) throws Exception;
  }

  private final Map<Long, ManagedConnection> handles = new ConcurrentHashMap<>();
  private final List<EvictionRecord> records = new CopyOnWriteArrayList<>();
  private final Set<Long> failing = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Hook> hook = new AtomicReference<>(why -> {});

  /** Opens a connection whose closer is this one. */
  ManagedConnection open(ConnectionManager cm, PeerId peer, Direction direction) {
    ManagedConnection c = cm.connectionOpened(peer, direction, "10.0.0.1:4001", this);
    handles.put(c.id(), c);
    return c;
  }

  ManagedConnection open(ConnectionManager cm, String peer) {
    return open(cm, PeerId.of(peer), Direction.INBOUND);
  }

  /** Opens {@code n} inbound connections to peers {@code prefix-0 .. prefix-(n-1)}. */
  List<ManagedConnection> openMany(ConnectionManager cm, String prefix, int n) {
    List<ManagedConnection> opened = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      opened.add(open(cm, prefix + "-" + i));
    }
    return opened;
  }

  /** Makes the closes of this connection throw until {@link #heal} is called. */
  void failFor(long connectionId) {
    failing.add(connectionId);
  }

  void heal(long connectionId) {
    failing.remove(connectionId);
  }

  void beforeClose(Hook h) {
    hook.set(h);
  }

  @Override
  public void close(EvictionRecord why) throws Exception {
    hook.get().run(why);
    if (failing.contains(why.connectionId())) {
      throw new java.io.IOException("socket refused to close: " + why.connectionId());
    }
    records.add(why);
    ManagedConnection c = handles.get(why.connectionId());
    if (c != null) {
      c.closed();
    }
  }

  /** The evictions that succeeded, in the order they happened. */
  List<EvictionRecord> records() {
    return List.copyOf(records);
  }
}
