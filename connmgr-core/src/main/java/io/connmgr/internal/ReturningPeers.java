package io.connmgr.internal;

import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import io.connmgr.inspect.RecentEviction;
import java.time.Duration;
import java.time.Instant;
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

  /** Where a round's evictions wait to be recorded: see {@link #evictionsAt}. */
  private final PeerTable table;

  ReturningPeers(EvictionMemorySettings settings, PeerTable table) {
    this.table = table;
    this.memory =
        new EvictionMemory(
            settings.size(), settings.window().toNanos(), settings.firstBackoff().toNanos());
    this.restoreState = settings.restoreState();
  }

  /**
   * Records the eviction of the peer of a connection the manager just closed, unless nothing is to
   * be remembered: shutdown closes everything and judges nobody. A round's eviction of a peer's
   * last connection is recorded later instead ({@link #evictionsAt}).
   */
  void remember(ConnectionEntry c, EvictionRecord record, long nowNanos) {
    if (remembers(record.trigger())) {
      PeerEntry peer = c.peerEntry();
      memory.evicted(peer.key(), nowNanos, record.at(), saved(peer));
    }
  }

  /**
   * What records the evictions of the peers a round made at {@code nowNanos} and {@code at} takes
   * the last connection from, from their departed entries, which keep their tags as they were (see
   * {@link PeerTable#remove}); null when nothing is to be remembered. A round has them wait on the
   * departed entries until its caller has the report: they count at once all the same, as every
   * {@link #recall} of a peer records what waits on its entry first. In W1 at 100 000 the memory's
   * index and its forgetting of the oldest took 14 % of a round.
   */
  DepartedPeers.@Nullable Evictions evictionsAt(Trigger trigger, long nowNanos, Instant at) {
    if (!remembers(trigger)) {
      return null;
    }
    return peer -> memory.evicted(peer.key(), nowNanos, at, saved(peer));
  }

  private boolean remembers(Trigger trigger) {
    return memory.enabled() && trigger != Trigger.SHUTDOWN;
  }

  private @Nullable SavedPeer saved(PeerEntry peer) {
    return restoreState ? SavedPeer.of(peer) : null;
  }

  /**
   * The peer's memory if it was evicted within the window; null otherwise. A round's eviction that
   * still waits on the peer's departed entry is recorded first.
   */
  EvictionMemory.@Nullable Entry recall(PeerId peer, long nowNanos) {
    if (!memory.enabled()) {
      return null;
    }
    table.recordDepartedEviction(peer);
    return memory.recall(peer, nowNanos);
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

  /** Peers remembered now, a round's evictions still waiting on departed entries included. */
  int size(long nowNanos) {
    table.recordDepartedEvictions();
    return memory.size(nowNanos);
  }
}
