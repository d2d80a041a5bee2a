package io.connmgr.internal;

import io.connmgr.Closer;
import io.connmgr.ConnectionView;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Every peer and open connection, and the counts. Each change to a peer happens under that peer's
 * monitor; an entry leaves the table (flagged {@code removed}) when its last connection closes or
 * when, as a temporary entry, it outlived the grace period without one.
 */
final class PeerTable {

  private final ConcurrentHashMap<PeerId, PeerEntry> peers = new ConcurrentHashMap<>();
  private final Set<PeerEntry> temporaries = ConcurrentHashMap.newKeySet();
  // Adders, not atomic integers: every connect and close changes a count, and threads that
  // connect at once fought over one counter's cache line (W3 on two threads); counts are read only
  // by rounds, limits and views, which sum a few cells.
  private final LongAdder inbound = new LongAdder();
  private final LongAdder outbound = new LongAdder();
  private final LongAdder streams = new LongAdder();

  /**
   * Entries marked removed but still in the map, their removal left to after a round (see {@link
   * DepartedPeers}): {@link #peerCount} does not count them.
   */
  private final LongAdder departing = new LongAdder();

  /**
   * The rounds whose evictions wait on departed entries, by the ticket those entries hold (see
   * {@link #recordEvictionOf}): none, or the last round or two, or one whose closer hangs.
   */
  private final ConcurrentHashMap<Integer, DepartedPeers> waitingRounds = new ConcurrentHashMap<>();

  private final AtomicInteger tickets = new AtomicInteger();

  private final IdBlocks connectionIds = new IdBlocks();
  private final AtomicLong streamIds = new AtomicLong();
  private final Clock clock;
  private final Leases leases;
  private final Protections protections;
  private final ConnectionSlots slots;

  PeerTable(Clock clock, Leases leases, Protections protections, ConnectionSlots slots) {
    this.protections = protections;
    this.slots = slots;
    this.clock = clock;
    this.leases = leases;
  }

  // --- lookups --------------------------------------------------------------------------------

  /** The peer's entry; null if the peer is unknown or its entry is leaving the map. */
  @Nullable PeerEntry get(PeerId id) {
    PeerEntry entry = peers.get(id);
    return entry == null || entry.isRemoved() ? null : entry;
  }

  /**
   * The open connection with that id, found by a walk over the peers (an operator's eviction asks;
   * no map by id is kept, so opens and closes, a round's among them, pay nothing for it).
   */
  @Nullable ConnectionEntry connection(long id) {
    for (PeerEntry peer : peers.values()) {
      ConnectionEntry c = peer.connectionWithId(id);
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  Collection<PeerEntry> peers() {
    return peers.values();
  }

  /** The connections open now (not closing), in no particular order. */
  List<ConnectionView> openConnections() {
    List<ConnectionView> open = new ArrayList<>(connectionCount() + 16);
    for (PeerEntry peer : peers.values()) {
      peer.addOpenConnectionsTo(open);
    }
    return open;
  }

  int connectionCount() {
    return inbound() + outbound();
  }

  int inbound() {
    return inbound.intValue();
  }

  int outbound() {
    return outbound.intValue();
  }

  int peerCount() {
    return Math.max(0, peers.size() - departing.intValue());
  }

  int streamCount() {
    return streams.intValue();
  }

  /**
   * Runs {@code action} under the peer's monitor, creating a temporary entry if the peer is
   * unknown. The action must be small and call no user code but pure functions.
   */
  <R extends @Nullable Object> R withPeer(PeerId id, Function<PeerEntry, R> action) {
    for (; ; ) {
      PeerEntry entry = peers.get(id);
      if (entry == null) {
        entry = peers.computeIfAbsent(id, this::newTemporaryEntry);
      }
      synchronized (entry) {
        if (!entry.isRemoved()) {
          knowProtection(entry);
          return action.apply(entry);
        }
      }
      forgetRemoved(entry);
    }
  }

  /** Runs {@code action} under the monitor of a known peer; null if the peer is unknown. */
  <R> @Nullable R withExistingPeer(PeerId id, Function<PeerEntry, R> action) {
    for (; ; ) {
      PeerEntry entry = peers.get(id);
      if (entry == null) {
        return null;
      }
      synchronized (entry) {
        if (!entry.isRemoved()) {
          return action.apply(entry);
        }
      }
      forgetRemoved(entry);
    }
  }

  /**
   * A plain tag change: what it does to a peer's entry under its monitor, given the call's
   * arguments rather than capturing them. A capturing lambda per call was most of what a tag change
   * allocated (W2: 35 bytes per operation), and on a busy node that garbage made the young
   * generation grow into untouched memory, whose page faults halved W2's throughput.
   */
  enum TagChange {
    /** Sets the tag to the weight; creates a temporary entry for an unknown peer. */
    SET {
      @Override
      void apply(PeerEntry e, String name, int weight, @Nullable IntUnaryOperator upsert) {
        e.setTag(name, weight);
      }
    },
    /** Sets the tag to {@code upsert} of its weight (0 if absent); creates an entry likewise. */
    UPSERT {
      @Override
      void apply(PeerEntry e, String name, int weight, @Nullable IntUnaryOperator upsert) {
        e.setTag(name, Objects.requireNonNull(upsert).applyAsInt(e.weight(name, 0)));
      }
    },
    /** Removes the tag; an unknown peer is left unknown. */
    REMOVE {
      @Override
      void apply(PeerEntry e, String name, int weight, @Nullable IntUnaryOperator upsert) {
        e.removeTag(name);
      }
    };

    abstract void apply(PeerEntry e, String name, int weight, @Nullable IntUnaryOperator upsert);
  }

  /** Makes a plain tag change to the peer under its monitor (see {@link TagChange}). */
  void changeTag(
      PeerId id, String name, int weight, @Nullable IntUnaryOperator upsert, TagChange change) {
    for (; ; ) {
      PeerEntry entry = peers.get(id);
      if (entry == null) {
        if (change == TagChange.REMOVE) {
          return;
        }
        entry = peers.computeIfAbsent(id, this::newTemporaryEntry);
      }
      synchronized (entry) {
        if (!entry.isRemoved()) {
          knowProtection(entry);
          change.apply(entry, name, weight, upsert);
          return;
        }
      }
      forgetRemoved(entry);
    }
  }

  /** Reads the entry's protection the first time it is locked; caller holds the monitor. */
  private void knowProtection(PeerEntry entry) {
    entry.learnProtection(protections);
  }

  /** Copies the peer's protection onto its entry after a protect or unprotect. */
  void protectionChanged(PeerId id) {
    withExistingPeer(
        id,
        entry -> {
          entry.protectionChanged(protections);
          return entry;
        });
  }

  private PeerEntry newTemporaryEntry(PeerId id) {
    PeerEntry entry = newEntry(id, clock.nanos());
    entry.setTemporary(true);
    temporaries.add(entry);
    return entry;
  }

  // --- connections ----------------------------------------------------------------------------

  /**
   * Records a new connection, opened at {@code now} (a reading of the manager's clock); returns
   * null, recording nothing, when the peer already has {@code perPeerCap} connections (0: no cap).
   * {@code graceWaived}: the peer was evicted recently, so the connection has no grace period.
   */
  @Nullable ConnectionEntry open(
      PeerId id,
      Direction direction,
      String remoteAddress,
      Closer closer,
      int perPeerCap,
      boolean graceWaived,
      long now) {
    for (; ; ) {
      PeerEntry peer = peers.get(id);
      if (peer == null) {
        // a new peer gets its connection at once, so it never is a temporary entry: it stays out
        // of the temporaries set (no add and remove per connect), and nothing can drop it before
        // the connection is in, since only temporaries are dropped without a connection closing.
        // putIfAbsent, not computeIfAbsent: no capturing function and no reservation node per
        // new peer; an entry built for a peer another thread added meanwhile is dropped unused
        PeerEntry fresh = newEntry(id, now);
        PeerEntry raced = peers.putIfAbsent(id, fresh);
        peer = raced == null ? fresh : raced;
      }
      synchronized (peer) {
        if (peer.isRemoved()) {
          forgetRemoved(peer); // a round left it in the map: see DepartedPeers
          continue;
        }
        knowProtection(peer);
        if (perPeerCap > 0 && peer.connectionCount() >= perPeerCap) {
          return null;
        }
        int slot = slots.reserve();
        ConnectionEntry c =
            new ConnectionEntry(
                slots,
                slot,
                connectionIds.next(),
                peer,
                direction,
                remoteAddress,
                now,
                closer,
                graceWaived);
        if (peer.isTemporary()) {
          peer.setTemporary(false);
          temporaries.remove(peer);
        }
        peer.addConnection(c);
        slots.open(
            slot,
            c,
            (peer.isProtected() ? ConnectionSlots.PROTECTED : 0)
                | (graceWaived ? ConnectionSlots.GRACE_WAIVED : 0)
                | (direction == Direction.OUTBOUND ? ConnectionSlots.OUTBOUND : 0),
            peer.tagValue(),
            now);
        (direction == Direction.INBOUND ? inbound : outbound).increment();
        return c;
      }
    }
  }

  /**
   * Takes a closed connection out of the counts and its peer; the caller already moved it to
   * CLOSED. The peer leaves with its tags when this was its last connection: at once, or, when
   * {@code departed} is given (a round's), marked removed at once but left in the map for {@link
   * #forgetDeparted}, the round's eviction of it waiting on its entry, when the round has its
   * evictions remembered, to be recorded in the eviction memory by then or by whoever meets the
   * entry first (see {@link #recordEvictionOf}). Returns whether the eviction waits there; if not,
   * the caller records it.
   */
  boolean remove(ConnectionEntry c, @Nullable DepartedPeers departed) {
    boolean waits = false;
    PeerEntry peer = c.peerEntry();
    synchronized (peer) {
      peer.removeConnection(c);
      StreamEntry[] closed = c.clearStreams();
      for (StreamEntry s : closed) {
        s.markClosed();
      }
      if (closed.length > 0) {
        streams.add(-closed.length);
      }
      leases.releaseAll(c, null);
      slots.release(c.slot(), c.generation());
      if (!peer.hasConnections()) {
        if (departed == null) {
          drop(peer);
        } else {
          if (departed.evictions() != null) {
            peer.markDeparted(ticketOf(departed));
            waits = true;
          }
          markDropped(peer);
          departing.increment();
          departed.add(peer);
        }
      }
    }
    (c.direction() == Direction.INBOUND ? inbound : outbound).decrement();
    return waits;
  }

  /**
   * The ticket that the departed entries of {@code departed} hold while their evictions wait, given
   * at its first departure and registered until {@link #forgetDeparted} recorded them all.
   */
  private int ticketOf(DepartedPeers departed) {
    int ticket = departed.ticket();
    if (ticket == 0) {
      do {
        ticket = tickets.incrementAndGet() & Integer.MAX_VALUE;
      } while (ticket == 0 || waitingRounds.putIfAbsent(ticket, departed) != null);
      departed.setTicket(ticket);
    }
    return ticket;
  }

  /**
   * Records every eviction that still waits on a departed entry (see {@link
   * #remove(ConnectionEntry, DepartedPeers)}): a walk of the map, only while a round's departed
   * peers wait there.
   */
  void recordDepartedEvictions() {
    if (departing.sum() > 0) {
      for (PeerEntry entry : peers.values()) {
        recordEvictionOf(entry);
      }
    }
  }

  /**
   * Records the eviction that waits on the peer's departed entry, if it still waits: a peer a round
   * closed that comes back before the round tidied up is remembered as evicted all the same.
   */
  void recordDepartedEviction(PeerId id) {
    if (departing.sum() > 0) {
      PeerEntry entry = peers.get(id); // only a departed entry has an eviction waiting
      if (entry != null) {
        recordEvictionOf(entry);
      }
    }
  }

  /**
   * Records the round's eviction that waits on the departed {@code entry}, if one still waits:
   * whoever comes first records it, under the entry's monitor, and whoever comes meanwhile waits
   * there until it is recorded. The round stays registered under its ticket until its own tidying
   * recorded every eviction it left, this one included.
   */
  void recordEvictionOf(PeerEntry entry) {
    int ticket = entry.waitingTicket();
    if (ticket != 0) {
      recordEviction(entry, ticket, waitingRounds.get(ticket));
    }
  }

  /**
   * Records the eviction waiting on {@code entry} if it still holds {@code ticket}, the ticket of
   * {@code round} (null only once that round recorded all of its own, this one among them).
   */
  private static void recordEviction(PeerEntry entry, int ticket, @Nullable DepartedPeers round) {
    synchronized (entry) {
      if (entry.waitingTicket() == ticket) {
        DepartedPeers.Evictions evictions = round == null ? null : round.evictions();
        if (evictions != null) {
          evictions.record(entry);
        }
        entry.evictionRecorded();
      }
    }
  }

  /**
   * Reads, changing nothing, what a round's {@link #remove} of {@code c} will touch: its peer's
   * entry and connections, and the connection's streams (not the peer's bin in the map, which a
   * round leaves to {@link #forgetDeparted}). Returns a number made of what it read, for the caller
   * to keep so that no read is optimized away.
   *
   * <p>An entry spans two or three cache lines (112 bytes): its connections lie on another one than
   * the fields the removal writes, so the id's hash, on the line of the entry's {@code removal}
   * (and for half of the entries of its header, which the lock writes), is read as well (W1 at 100
   * 000 and 10 000: rounds lower in 15 of 21 pairs of fresh JVMs; reading the field beside the
   * header as well measured no better).
   */
  int readAhead(ConnectionEntry c) {
    PeerEntry peer = c.peerEntry();
    int read = peer.connectionCount() + peer.hashCode();
    for (StreamEntry s : c.streamArray()) {
      read += (int) s.id();
    }
    return read;
  }

  StreamEntry openStream(ConnectionEntry c, String protocol, Direction direction) {
    synchronized (c.peerEntry()) {
      if (!c.isOpen()) {
        throw new IllegalStateException("connection " + c.id() + " is closed");
      }
      StreamEntry s =
          new StreamEntry(streamIds.incrementAndGet(), c, protocol, direction, clock.nanos());
      c.addStream(s);
      streams.increment();
      return s;
    }
  }

  void closeStream(StreamEntry s) {
    ConnectionEntry c = s.connection();
    synchronized (c.peerEntry()) {
      if (c.removeStream(s)) {
        s.markClosed();
        streams.decrement();
        leases.releaseAll(c, s);
      }
    }
  }

  // --- ids that share a hash code ------------------------------------------------------------

  /**
   * A new entry for {@code id}, told whether another peer in the table has an id of the same hash
   * code. A peer chooses its id, and ids of one hash code are easy to make ("Aa" and "BB" hash
   * alike); the map keeps such ids in a tree ordered by the ids, which only an id can search: a
   * probe by {@link PeerKey}, which spares a close reading the id and its string (two cache misses
   * at scale), would search the tree whole, O(n) per close among n such peers. So an entry that
   * shares its hash is looked up by its id; the first peer of a hash, alone when it came, keeps the
   * cheap probe and pays the search once, at its close.
   */
  @SuppressWarnings("CollectionIncompatibleType") // compared with ids of its hash only: see below
  private PeerEntry newEntry(PeerId id, long now) {
    PeerEntry entry = new PeerEntry(id, now);
    entry.setSharesHash(peers.get(new OtherIdOfHash(id, entry.hashCode())) != null);
    return entry;
  }

  /** The key to find {@code peer} by in the map: see {@link #newEntry}. */
  private static Object probe(PeerEntry peer) {
    return peer.sharesHash() ? peer.id() : peer.key();
  }

  /**
   * A probe that finds any peer whose id has the hash code of {@code id} but is another id. The map
   * compares a probe only with keys of the probe's hash code, so among those it equals every id but
   * {@code id} itself (the instance the map holds for that peer, if it holds one).
   */
  private static final class OtherIdOfHash {

    private final PeerId id;
    private final int hash;

    OtherIdOfHash(PeerId id, int hash) {
      this.id = id;
      this.hash = hash;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof PeerId other && other != id && !other.equals(id);
    }
  }

  // --- temporary entries ----------------------------------------------------------------------

  /**
   * Drops temporary entries first seen before {@code cutoffNanos} that still have no connection.
   */
  int dropTemporariesSeenBefore(long cutoffNanos) {
    if (temporaries.isEmpty()) {
      return 0; // the usual case: no walker to make, every round
    }
    int dropped = 0;
    for (PeerEntry peer : temporaries) {
      if (peer.firstSeenNanos() < cutoffNanos) {
        synchronized (peer) {
          if (!peer.isRemoved() && !peer.hasConnections()) {
            drop(peer);
            dropped++;
          }
        }
      }
    }
    return dropped;
  }

  /** Caller holds the peer's monitor. */
  @SuppressWarnings("CollectionIncompatibleType") // a PeerKey equals its peer's id: see PeerKey
  private void drop(PeerEntry peer) {
    markDropped(peer);
    peers.remove(probe(peer), peer);
  }

  /**
   * Records the evictions waiting on the peers a round's closes left without connections and takes
   * the peers out of the map (see {@link DepartedPeers}), unless a lookup did meanwhile, and
   * empties {@code departed}.
   */
  void forgetDeparted(DepartedPeers departed) {
    int ticket = departed.ticket(); // 0 when none of its evictions waits
    for (int i = 0; i < departed.size(); i++) {
      PeerEntry peer = departed.get(i);
      if (ticket != 0) {
        recordEviction(peer, ticket, departed); // the round is at hand: no lookup by ticket
      }
      leaveMap(peer);
    }
    if (ticket != 0) {
      waitingRounds.remove(ticket, departed);
    }
    departed.clear();
  }

  /**
   * Takes an entry marked removed out of the map if it is still there: a round left it (see {@link
   * DepartedPeers}), and whoever meets it first, a lookup or the round's thread, removes it.
   */
  private void forgetRemoved(PeerEntry peer) {
    recordEvictionOf(peer); // before it leaves the map, where a returning peer looks for it
    leaveMap(peer);
  }

  /** Takes an entry marked removed, its eviction recorded, out of the map if it is still there. */
  @SuppressWarnings("CollectionIncompatibleType") // a PeerKey equals its peer's id: see PeerKey
  private void leaveMap(PeerEntry peer) {
    if (peers.remove(probe(peer), peer)) {
      departing.decrement();
    }
  }

  /** Marks the peer removed, out of the temporaries and its decaying tags; holds its monitor. */
  private void markDropped(PeerEntry peer) {
    peer.markRemoved();
    if (peer.isTemporary()) {
      peer.setTemporary(false);
      temporaries.remove(peer);
    }
    for (DecayingValue v : peer.decayingValues()) {
      v.tag().removeHolder(peer);
    }
  }
}
