package io.connmgr.inspect;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A lease as a snapshot saw it.
 *
 * @param startedAt when it was taken
 * @param expiresAt when it elapses (or elapsed)
 * @param streamId the stream it was taken from; null if taken on the connection
 * @param takenAt the snapshot's instant, for {@link #timeLeft()}
 */
public record LeaseInfo(
    Instant startedAt, Instant expiresAt, @Nullable Long streamId, Instant takenAt) {

  /** Checks the instants. */
  public LeaseInfo {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(takenAt, "takenAt");
  }

  /** Time left at the snapshot's instant; zero once elapsed. */
  public Duration timeLeft() {
    Duration left = Duration.between(takenAt, expiresAt);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Whether the lease had not elapsed at the snapshot's instant. */
  public boolean active() {
    return expiresAt.isAfter(takenAt);
  }
}
