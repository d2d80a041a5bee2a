package io.connmgr;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A {@link LeaseListener}'s answer: extend the lease, or release it and let the round go on. */
public final class LeaseDecision {

  private static final LeaseDecision RELEASE = new LeaseDecision(null);

  private final @Nullable Duration extension;

  private LeaseDecision(@Nullable Duration extension) {
    this.extension = extension;
  }

  /** Extends the lease by {@code more}, within the limits; beyond them it counts as release. */
  public static LeaseDecision extend(Duration more) {
    Objects.requireNonNull(more, "more");
    if (more.isNegative() || more.isZero()) {
      throw new IllegalArgumentException("lease extension must be positive, was " + more);
    }
    return new LeaseDecision(more);
  }

  /** Releases the lease; the round may close the connection. */
  public static LeaseDecision release() {
    return RELEASE;
  }

  /** The extension asked for; empty for release. */
  public Optional<Duration> extension() {
    return Optional.ofNullable(extension);
  }

  @Override
  public String toString() {
    return extension == null ? "release" : "extend(" + extension + ")";
  }
}
