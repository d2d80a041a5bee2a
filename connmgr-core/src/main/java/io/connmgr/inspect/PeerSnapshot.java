package io.connmgr.inspect;

import io.connmgr.AttachmentKey;
import io.connmgr.PeerId;
import io.connmgr.PeerView;
import io.connmgr.Stateful;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/** A peer as a {@link Snapshot} saw it; its state is read from the live peer. */
public final class PeerSnapshot implements PeerView {

  private final PeerId id;
  private final Instant firstSeen;
  private final int tagValue;
  private final Map<String, Integer> tags;
  private final Set<String> protections;
  private final List<ConnectionSnapshot> connections;
  private final Stateful live;

  /** Copies a peer's fields; {@code live} answers state queries. */
  public PeerSnapshot(
      PeerId id,
      Instant firstSeen,
      int tagValue,
      Map<String, Integer> tags,
      Set<String> protections,
      List<ConnectionSnapshot> connections,
      Stateful live) {
    this.id = Objects.requireNonNull(id, "id");
    this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen");
    this.tagValue = tagValue;
    this.tags = Map.copyOf(tags);
    this.protections = Set.copyOf(protections);
    this.connections = List.copyOf(connections);
    this.live = Objects.requireNonNull(live, "live");
  }

  @Override
  public PeerId id() {
    return id;
  }

  public Instant firstSeen() {
    return firstSeen;
  }

  @Override
  public int tagValue() {
    return tagValue;
  }

  @Override
  public Map<String, Integer> tags() {
    return tags;
  }

  /** The tags the peer is protected under; empty if it is not protected. */
  public Set<String> protections() {
    return protections;
  }

  /** A temporary entry: tagged, but with no connection yet. */
  public boolean temporary() {
    return connections.isEmpty();
  }

  @Override
  public List<ConnectionSnapshot> connections() {
    return connections;
  }

  @Override
  public <T> T state(AttachmentKey<T> key) {
    return live.state(key);
  }

  @Override
  public <T> void update(AttachmentKey<T> key, Consumer<? super T> update) {
    live.update(key, update);
  }

  /** The live subject's state, by key name; see {@link Stateful#attachments()}. */
  @Override
  public Map<String, Object> attachments() {
    return live.attachments();
  }

  @Override
  public String toString() {
    return "Peer[" + id + " value=" + tagValue + " connections=" + connections.size() + "]";
  }
}
