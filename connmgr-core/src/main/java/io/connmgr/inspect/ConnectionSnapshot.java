package io.connmgr.inspect;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionView;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import io.connmgr.StreamView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A connection as a {@link Snapshot} saw it: an immutable value, state included, that no later
 * change of the manager reaches.
 */
public final class ConnectionSnapshot extends CapturedSubject implements ConnectionView {

  private final long id;
  private final PeerId peer;
  private final Direction direction;
  private final String remoteAddress;
  private final Instant openedAt;
  private final List<StreamView> streams;
  private final List<LeaseInfo> leases;

  /** A connection as it was, with the state set on it by then. */
  public ConnectionSnapshot(
      long id,
      PeerId peer,
      Direction direction,
      String remoteAddress,
      Instant openedAt,
      List<StreamView> streams,
      List<LeaseInfo> leases,
      Map<AttachmentKey<?>, Object> state,
      Map<String, Object> attachments) {
    super(state, attachments);
    this.id = id;
    this.peer = Objects.requireNonNull(peer, "peer");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
    this.openedAt = Objects.requireNonNull(openedAt, "openedAt");
    this.streams = List.copyOf(streams);
    this.leases = List.copyOf(leases);
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public PeerId peer() {
    return peer;
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
    return openedAt;
  }

  @Override
  public int streamCount() {
    return streams.size();
  }

  @Override
  public List<StreamView> streams() {
    return streams;
  }

  /** The leases held (not released) at the snapshot, active or elapsed. */
  public List<LeaseInfo> leases() {
    return leases;
  }

  @Override
  public String toString() {
    return "Connection[" + id + " " + peer + " " + direction + "]";
  }
}
