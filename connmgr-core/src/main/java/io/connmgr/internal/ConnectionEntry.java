package io.connmgr.internal;

import io.connmgr.Closer;
import io.connmgr.ConnectionStatus;
import io.connmgr.ConnectionView;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One connection. Its life is OPEN, then CLOSING while the manager's closer runs (it still counts),
 * then CLOSED; a failed closer puts it back to OPEN. Streams and leases change under the peer's
 * monitor and are read lock-free.
 */
final class ConnectionEntry extends StatefulEntry implements ConnectionView {

  static final int OPEN = 0;
  static final int CLOSING = 1;
  static final int CLOSED = 2;

  private static final StreamEntry[] NO_STREAMS = {};
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(ConnectionEntry.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long id;
  private final PeerEntry peer;
  private final Direction direction;
  private final String remoteAddress;
  private final long openedAtNanos;
  private final Closer closer;

  /** Set when the connection's peer was evicted recently: such a connection has no grace period. */
  private final boolean graceWaived;

  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  private volatile StreamEntry[] streams = NO_STREAMS;
  /** The length of {@link #streams}, kept beside it so a round's tie-break reads no array. */
  private volatile int streamCount;
  private volatile LeaseImpl @Nullable [] leases;

  ConnectionEntry(long id, PeerEntry peer, Direction direction, String remoteAddress,
      long openedAtNanos, Closer closer, boolean graceWaived) {
    this.id = id;
    this.peer = peer;
    this.direction = direction;
    this.remoteAddress = remoteAddress;
    this.openedAtNanos = openedAtNanos;
    this.closer = closer;
    this.graceWaived = graceWaived;
  }

  // --- ConnectionView -------------------------------------------------------------------------

  @Override
  public long id() {
    return id;
  }

  @Override
  public PeerId peer() {
    return peer.id();
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Instant openedAt() {
    return Clock.toInstant(openedAtNanos);
  }

  @Override
  public int streamCount() {
    return streamCount;
  }

  @Override
  public List<StreamEntry> streams() {
    return List.of(streams);
  }

  @Override
  public String toString() {
    return "Connection[" + id + " " + peer.id() + " " + direction + "]";
  }

  /** The peer's entry: its tags, its monitor, its other connections. */
  PeerEntry peerEntry() {
    return peer;
  }

  long openedAtNanos() {
    return openedAtNanos;
  }

  /** The transport's closer, for the manager's close. */
  Closer closer() {
    return closer;
  }

  /** Whether this connection has no grace period: its peer was evicted recently. */
  boolean graceWaived() {
    return graceWaived;
  }

  // --- life -----------------------------------------------------------------------------------

  int state() {
    return state;
  }

  boolean isOpen() {
    return state != CLOSED;
  }

  ConnectionStatus status() {
    int now = state;
    return now == OPEN ? ConnectionStatus.OPEN
        : now == CLOSING ? ConnectionStatus.CLOSING : ConnectionStatus.CLOSED;
  }

  boolean transition(int from, int to) {
    return STATE.compareAndSet(this, from, to);
  }

  // --- streams and leases (changes under the peer's monitor) ----------------------------------

  StreamEntry[] streamArray() {
    return streams;
  }

  void addStream(StreamEntry s) {
    streams = CopyOnWrite.append(streams, s);
    streamCount = streams.length;
  }

  boolean removeStream(StreamEntry s) {
    int i = CopyOnWrite.indexOf(streams, s);
    if (i < 0) {
      return false;
    }
    streams = streams.length == 1 ? NO_STREAMS : CopyOnWrite.removeAt(streams, i);
    streamCount = streams.length;
    return true;
  }

  /** Empties the stream list, returning what it held. */
  StreamEntry[] clearStreams() {
    StreamEntry[] current = streams;
    streams = NO_STREAMS;
    streamCount = 0;
    return current;
  }

  LeaseImpl[] leaseArray() {
    LeaseImpl[] current = leases;
    return current == null ? LeaseImpl.NONE : current;
  }

  void addLease(LeaseImpl lease) {
    leases = CopyOnWrite.append(leaseArray(), lease);
  }

  void removeLease(LeaseImpl lease) {
    LeaseImpl[] current = leaseArray();
    int i = CopyOnWrite.indexOf(current, lease);
    if (i >= 0) {
      leases = current.length == 1 ? null : CopyOnWrite.removeAt(current, i);
    }
  }

  /** Whether a lease that is neither released nor elapsed holds this connection. */
  boolean hasActiveLease(long nowNanos) {
    for (LeaseImpl lease : leaseArray()) {
      if (lease.activeAt(nowNanos)) {
        return true;
      }
    }
    return false;
  }
}
