package io.connmgr.inspect;

import io.connmgr.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the manager remembers of a peer it evicted recently (see {@link
 * ConnectionManager.Builder#evictionMemorySize}): a peer remembered reconnects with no grace
 * period, and while its backoff runs an inbound connection from it is refused above high water.
 *
 * @param peer the peer
 * @param lastEvictedAt when it was last evicted
 * @param timesEvicted how many times it was evicted while remembered (1 for a first eviction)
 * @param backoff the backoff its last eviction earned: the first backoff, doubled for each further
 *     eviction while remembered, at most the window
 * @param backoffLeft how much of that backoff is left now; zero once it is over
 * @param forgottenIn how long until the manager forgets the peer, unless it is evicted again
 */
public record RecentEviction(
    PeerId peer,
    Instant lastEvictedAt,
    int timesEvicted,
    Duration backoff,
    Duration backoffLeft,
    Duration forgottenIn) {

  /** Checks the arguments. */
  public RecentEviction {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(lastEvictedAt, "lastEvictedAt");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(backoffLeft, "backoffLeft");
    Objects.requireNonNull(forgottenIn, "forgottenIn");
  }
}
