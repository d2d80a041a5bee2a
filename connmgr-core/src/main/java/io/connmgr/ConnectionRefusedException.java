package io.connmgr;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link ConnectionManager#connectionOpened} when a new connection would break a hard
 * limit; the transport should close it. Nothing was recorded for it.
 */
public final class ConnectionRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient PeerId peer;
  private final AdmissionLimit limit;
  private final @Nullable Duration retryAfter;

  /** A refusal of {@code peer}'s connection by {@code limit}, with a message for logs. */
  public ConnectionRefusedException(PeerId peer, AdmissionLimit limit, String message) {
    this(peer, limit, message, null);
  }

  /**
   * A refusal that says when the peer may try again ({@link AdmissionLimit#RECENTLY_EVICTED}: when
   * its reconnect backoff ends).
   */
  public ConnectionRefusedException(
      PeerId peer, AdmissionLimit limit, String message, @Nullable Duration retryAfter) {
    super(message);
    this.peer = Objects.requireNonNull(peer, "peer");
    this.limit = Objects.requireNonNull(limit, "limit");
    this.retryAfter = retryAfter;
  }

  public PeerId peer() {
    return peer;
  }

  /** The limit that refused the connection. */
  public AdmissionLimit limit() {
    return limit;
  }

  /** How long until the limit stops refusing this peer, when the manager knows. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
