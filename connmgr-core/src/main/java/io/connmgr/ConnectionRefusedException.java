package io.connmgr;

import java.util.Objects;

/**
 * Thrown by {@link ConnectionManager#connectionOpened} when a new connection would break a hard
 * limit; the transport should close it. Nothing was recorded for it.
 */
public final class ConnectionRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient PeerId peer;
  private final AdmissionLimit limit;

  /** A refusal of {@code peer}'s connection by {@code limit}, with a message for logs. */
  public ConnectionRefusedException(PeerId peer, AdmissionLimit limit, String message) {
    super(message);
    this.peer = Objects.requireNonNull(peer, "peer");
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  public PeerId peer() {
    return peer;
  }

  /** The limit that refused the connection. */
  public AdmissionLimit limit() {
    return limit;
  }
}
