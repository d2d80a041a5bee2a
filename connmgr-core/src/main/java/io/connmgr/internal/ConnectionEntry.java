package io.connmgr.internal;

import io.connmgr.Closer;
import io.connmgr.ConnectionView;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One connection. Its life is OPEN, then CLOSING while the manager's closer runs (it still counts),
 * then CLOSED; a failed closer puts it back to OPEN. Streams and leases change under the peer's
 * monitor and are read lock-free.
 */
final class ConnectionEntry extends ScoredEntry implements ConnectionView {

  static final int OPEN = ConnectionSlots.OPEN;
  static final int CLOSING = ConnectionSlots.CLOSING;
  static final int CLOSED = ConnectionSlots.CLOSED;

  private static final StreamEntry[] NO_STREAMS = {};

  /** The slots of a connection that is in no table (admission's probe): none, always CLOSED. */
  private static final ConnectionSlots NO_SLOTS = new ConnectionSlots();

  private final long id;
  private final PeerEntry peer;
  private final Direction direction;
  private final String remoteAddress;
  private final long openedAtNanos;
  private final Closer closer;

  /** Set when the connection's peer was evicted recently: such a connection has no grace period. */
  private final boolean graceWaived;

  /** Where its state and what a round reads of it live; see {@link ConnectionSlots}. */
  private final ConnectionSlots slots;

  private final int slot;

  /** The generation of {@link #slot} this connection holds it under. */
  private final int generation;

  /** Its open streams; null for none, as {@link PeerEntry}'s connections are (see there why). */
  private volatile StreamEntry @Nullable [] streams;

  /** Its leases; null while it holds none (or is about to be given its first). */
  private volatile @Nullable LeaseSet leases;

  /**
   * A connection held in {@code slot} of {@code slots} under the slot's current generation; the
   * table opens the slot once the connection is recorded.
   */
  ConnectionEntry(
      ConnectionSlots slots,
      int slot,
      long id,
      PeerEntry peer,
      Direction direction,
      String remoteAddress,
      long openedAtNanos,
      Closer closer,
      boolean graceWaived) {
    this.slots = slots;
    this.slot = slot;
    this.generation = slots.generation(slot);
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

  /** A connection in no table, for scoring a peer that has none yet; it is CLOSED. */
  static ConnectionEntry probe(PeerEntry peer, long nowNanos) {
    return new ConnectionEntry(
        NO_SLOTS, -1, 0, peer, Direction.INBOUND, "", nowNanos, why -> {}, false);
  }

  @Override
  public int streamCount() {
    return streamArray().length;
  }

  @Override
  public List<StreamEntry> streams() {
    return List.of(streamArray());
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

  int slot() {
    return slot;
  }

  int generation() {
    return generation;
  }

  int state() {
    return slots.state(slot, generation);
  }

  boolean isOpen() {
    return state() != CLOSED;
  }

  boolean isClosing() {
    return state() == CLOSING;
  }

  boolean transition(int from, int to) {
    return slots.transition(slot, generation, from, to);
  }

  // --- streams and leases (changes under the peer's monitor) ----------------------------------

  StreamEntry[] streamArray() {
    StreamEntry[] current = streams;
    return current == null ? NO_STREAMS : current;
  }

  void addStream(StreamEntry s) {
    StreamEntry[] now = CopyOnWrite.append(streamArray(), s);
    streams = now;
    slots.setStreams(slot, generation, now.length);
  }

  boolean removeStream(StreamEntry s) {
    StreamEntry[] before = streamArray();
    int i = CopyOnWrite.indexOf(before, s);
    if (i < 0) {
      return false;
    }
    StreamEntry[] now = before.length == 1 ? null : CopyOnWrite.removeAt(before, i);
    streams = now;
    slots.setStreams(slot, generation, now == null ? 0 : now.length);
    return true;
  }

  /**
   * Empties the stream list of a CLOSED connection about to give its slot back, returning what it
   * held. The slot's stream count stays: nobody reads a closed connection's, and the slot's next
   * connection starts from 0.
   */
  StreamEntry[] clearStreams() {
    StreamEntry[] current = streamArray();
    streams = null;
    return current;
  }

  /** Its leases as they are now, in the order taken. */
  LeaseImpl[] leaseArray() {
    LeaseSet current = leases;
    return current == null ? LeaseImpl.NONE : current.toArray();
  }

  /** Its leases, walked live, in the order taken. */
  Iterable<LeaseImpl> leases() {
    LeaseSet current = leases;
    return current == null ? List.of() : current;
  }

  /** How many leases it holds. */
  int leaseCount() {
    LeaseSet current = leases;
    return current == null ? 0 : current.size();
  }

  /**
   * The number of the next lease it is given: leases are kept in the order of these numbers.
   * Numbered by its lease set, made here if it has none, so that a connection never leased carries
   * no counter (a field of every connection would cost W4 8 bytes a peer); caller holds the peer.
   */
  long nextLeaseNumber() {
    LeaseSet current = leases;
    if (current == null) {
      current = new LeaseSet();
      leases = current;
    }
    return current.nextNumber();
  }

  /** Adds a lease numbered by {@link #nextLeaseNumber}; caller holds the peer. */
  void addLease(LeaseImpl lease) {
    Objects.requireNonNull(leases, "numbered by nextLeaseNumber first").add(lease);
    StreamEntry stream = lease.stream();
    if (stream != null) {
      stream.leaseAdded();
    }
    slots.setFlag(slot, generation, ConnectionSlots.LEASED, true);
  }

  /** Takes a lease out of its set, if it is there; caller holds the peer. */
  void removeLease(LeaseImpl lease) {
    LeaseSet current = leases;
    if (current == null || !current.remove(lease)) {
      return;
    }
    StreamEntry stream = lease.stream();
    if (stream != null) {
      stream.leaseRemoved();
    }
    if (current.size() == 0) {
      leases = null;
      slots.setFlag(slot, generation, ConnectionSlots.LEASED, false);
    }
  }

  // --- what its peer tells the slot (under the peer's monitor) ---------------------------------

  /** Its peer's tag value changed; called by the peer, for a connection in its list. */
  void peerValueChanged(int value) {
    slots.setValue(slot, generation, value);
  }

  /** Its peer's protection changed. */
  void peerProtectionChanged(boolean isProtected) {
    slots.setFlag(slot, generation, ConnectionSlots.PROTECTED, isProtected);
  }

  /** Whether it is its peer's only connection changed. */
  void aloneOnPeer(boolean alone) {
    slots.setFlag(slot, generation, ConnectionSlots.ALONE_ON_PEER, alone);
  }

  /** Whether a lease that is neither released nor elapsed holds this connection. */
  boolean hasActiveLease(long nowNanos) {
    for (LeaseImpl lease : leases()) {
      if (lease.activeAt(nowNanos)) {
        return true;
      }
    }
    return false;
  }
}
