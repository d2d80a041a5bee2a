package io.connmgr.inspect;

import io.connmgr.AttachmentKey;
import io.connmgr.PeerId;
import io.connmgr.PeerView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A peer as a {@link Snapshot} saw it: an immutable value, state included, that no later change of
 * the manager reaches.
 */
public final class PeerSnapshot extends CapturedSubject implements PeerView {

  private final PeerId id;
  private final Instant firstSeen;
  private final int tagValue;
  private final Map<String, Integer> tags;
  private final Set<String> protections;
  private final List<ConnectionSnapshot> connections;

  /** A peer as it was, with the state set on it by then. */
  public PeerSnapshot(
      PeerId id,
      Instant firstSeen,
      int tagValue,
      Map<String, Integer> tags,
      Set<String> protections,
      List<ConnectionSnapshot> connections,
      Map<AttachmentKey<?>, Object> state,
      Map<String, Object> attachments) {
    super(state, attachments);
    this.id = Objects.requireNonNull(id, "id");
    this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen");
    this.tagValue = tagValue;
    this.tags = Map.copyOf(tags);
    this.protections = Set.copyOf(protections);
    this.connections = List.copyOf(connections);
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

  @Override
  public List<ConnectionSnapshot> connections() {
    return connections;
  }

  @Override
  public String toString() {
    return "Peer[" + id + " value=" + tagValue + " connections=" + connections.size() + "]";
  }
}
