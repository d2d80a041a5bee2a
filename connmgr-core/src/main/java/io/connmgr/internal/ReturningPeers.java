package io.connmgr.internal;

import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import io.connmgr.inspect.RecentEviction;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The eviction memory as the engine uses it: fed where an eviction is recorded, consulted when a
 * connection opens. A peer it recalls gets no grace period, may be refused while its backoff runs
 * (by {@link Admission}), and, when the settings ask, gets back the tags and typed state it had
 * when it was evicted.
 */
final class ReturningPeers {

  private final EvictionMemory memory;
  private final boolean restoreState;

  ReturningPeers(EvictionMemorySettings settings) {
    this.memory =
        new EvictionMemory(
            settings.size(), settings.window().toNanos(), settings.firstBackoff().toNanos());
    this.restoreState = settings.restoreState();
  }

  /**
   * Remembers the peer of a connection the manager just closed. Shutdown closes everything and
   * judges nobody, so its closes are not remembered.
   */
  void remember(ConnectionEntry c, EvictionRecord record, long nowNanos) {
    if (remembers(record)) {
      PeerEntry peer = c.peerEntry();
      memory.evicted(peer.key(), nowNanos, record.at(), saved(peer));
    }
  }

  /**
   * As {@link #remember}, for a round's close: it counts at once, its cost is taken by {@link
   * #recordRemembered} once the round's caller has its report (see {@link
   * EvictionMemory#evictedLater}).
   */
  void rememberLater(ConnectionEntry c, EvictionRecord record, long nowNanos) {
    if (remembers(record)) {
      PeerEntry peer = c.peerEntry();
      memory.evictedLater(peer.key(), nowNanos, record.at(), saved(peer));
    }
  }

  private boolean remembers(EvictionRecord record) {
    return memory.enabled() && record.trigger() != Trigger.SHUTDOWN;
  }

  /** What to give the peer back when it returns: its tags and state if the settings ask. */
  private @Nullable SavedPeer saved(PeerEntry peer) {
    return restoreState ? SavedPeer.of(peer) : null;
  }

  /** Records what {@link #rememberLater} left to record. */
  void recordRemembered() {
    memory.recordEvictedLater();
  }

  /** The peer's memory if it was evicted within the window; null otherwise. */
  EvictionMemory.@Nullable Entry recall(PeerId peer, long nowNanos) {
    return memory.enabled() ? memory.recall(peer, nowNanos) : null;
  }

  /**
   * Why an inbound reconnect of a remembered peer must wait, or null to admit it: it is refused
   * while its backoff runs and the count is at or above high water (admitting it would take the
   * count above). The caller exempts pinned, allowed and protected peers.
   */
  @Nullable Refusal refusal(EvictionMemory.Entry e, long nowNanos, int count, int highWater) {
    long left = e.backoffLeftNanos(nowNanos);
    if (left == 0 || count < highWater) {
      return null;
    }
    return new Refusal(
        "reconnect backoff "
            + seconds(e.backoffNanos())
            + ", "
            + seconds(left)
            + " left; evicted "
            + e.times()
            + (e.times() == 1 ? " time" : " times")
            + " lately, last at "
            + e.evictedAt()
            + ", and the node is at or above high water ("
            + highWater
            + ")",
        Duration.ofNanos(left));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /** Why a reconnect waits, and how long is left. */
  record Refusal(String why, Duration retryAfter) {}

  /**
   * Gives a returning peer with no open connection the tags and state it had at its last eviction,
   * once, if the settings ask for it.
   */
  void giveBack(PeerTable table, PeerId peer, long nowNanos) {
    if (!restoreState) {
      return;
    }
    SavedPeer saved = memory.takeSaved(peer, nowNanos);
    if (saved != null) {
      table.withPeer(
          peer,
          entry -> {
            if (!entry.hasConnections()) {
              saved.restoreOnto(entry, nowNanos);
            }
            return entry;
          });
    }
  }

  /** What is remembered of the peer now, for operators. */
  Optional<RecentEviction> describe(PeerId peer, long nowNanos) {
    EvictionMemory.Entry e = recall(peer, nowNanos);
    if (e == null) {
      return Optional.empty();
    }
    return Optional.of(
        new RecentEviction(
            peer,
            e.evictedAt(),
            e.times(),
            Duration.ofNanos(e.backoffNanos()),
            Duration.ofNanos(e.backoffLeftNanos(nowNanos)),
            Duration.ofNanos(e.forgottenInNanos(nowNanos, memory.windowNanos()))));
  }

  /** Peers remembered now. */
  int size(long nowNanos) {
    return memory.size(nowNanos);
  }
}
