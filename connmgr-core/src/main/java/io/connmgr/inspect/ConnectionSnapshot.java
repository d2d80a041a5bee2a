package io.connmgr.inspect;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionView;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import io.connmgr.Stateful;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/** A connection as a {@link Snapshot} saw it; its state is read from the live connection. */
public final class ConnectionSnapshot implements ConnectionView {

  private final long id;
  private final PeerId peer;
  private final Direction direction;
  private final String remoteAddress;
  private final Instant openedAt;
  private final List<StreamSnapshot> streams;
  private final List<LeaseInfo> leases;
  private final Stateful live;

  /** Copies a connection's fields; {@code live} answers state queries. */
  public ConnectionSnapshot(
      long id,
      PeerId peer,
      Direction direction,
      String remoteAddress,
      Instant openedAt,
      List<StreamSnapshot> streams,
      List<LeaseInfo> leases,
      Stateful live) {
    this.id = id;
    this.peer = Objects.requireNonNull(peer, "peer");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
    this.openedAt = Objects.requireNonNull(openedAt, "openedAt");
    this.streams = List.copyOf(streams);
    this.leases = List.copyOf(leases);
    this.live = Objects.requireNonNull(live, "live");
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
  public List<StreamSnapshot> streams() {
    return streams;
  }

  /** The leases held (not released) at the snapshot, active or elapsed. */
  public List<LeaseInfo> leases() {
    return leases;
  }

  /** Whether a lease was active at the snapshot. */
  public boolean leased() {
    return leases.stream().anyMatch(LeaseInfo::active);
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
    return "Connection[" + id + " " + peer + " " + direction + "]";
  }
}
