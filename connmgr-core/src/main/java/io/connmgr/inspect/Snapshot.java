package io.connmgr.inspect;

import io.connmgr.PeerId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A copy of every peer, connection, stream, tag, protection and lease. Each peer is copied as one
 * consistent whole; every connection listed belongs to a listed peer.
 */
public final class Snapshot {

  private final Instant takenAt;
  private final List<PeerSnapshot> peers;
  private final List<ConnectionSnapshot> connections;
  private final Map<PeerId, PeerSnapshot> byId;

  /** Builds a snapshot over the given peers; connections are gathered from them. */
  public Snapshot(Instant takenAt, List<PeerSnapshot> peers, List<ConnectionSnapshot> connections) {
    this.takenAt = Objects.requireNonNull(takenAt, "takenAt");
    this.peers = List.copyOf(peers);
    this.connections = List.copyOf(connections);
    Map<PeerId, PeerSnapshot> index = new HashMap<>(peers.size() * 2);
    for (PeerSnapshot p : peers) {
      index.put(p.id(), p);
    }
    this.byId = index;
  }

  public Instant takenAt() {
    return takenAt;
  }

  public List<PeerSnapshot> peers() {
    return peers;
  }

  /** Every open connection, by ascending id. */
  public List<ConnectionSnapshot> connections() {
    return connections;
  }

  /** One peer, if the snapshot holds it. */
  public Optional<PeerSnapshot> peer(PeerId id) {
    Objects.requireNonNull(id, "id");
    return Optional.ofNullable(byId.get(id));
  }
}
