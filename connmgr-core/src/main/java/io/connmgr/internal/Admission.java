package io.connmgr.internal;

import io.connmgr.AdmissionLimit;
import io.connmgr.Assessment;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionRefusedException;
import io.connmgr.ConnectionScore;
import io.connmgr.ConnectionView;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.TrimRound;
import io.connmgr.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The hard limits on new connections. The total cap is kept exact under concurrency by reserving
 * a slot before the connection is recorded; at the cap an inbound newcomer may displace the
 * lowest-scoring evictable connection when that one scores below the newcomer's peer.
 */
final class Admission {

  /** How long a ranking of victims is reused before it is computed again. */
  private static final long RANKING_TTL_NANOS = 1_000_000_000L;

  private final Engine engine;
  private final AdmissionSettings limits;
  private final AtomicInteger reserved = new AtomicInteger();
  private final AtomicLongArray refusals = new AtomicLongArray(AdmissionLimit.values().length);
  private final AtomicReference<@Nullable Ranking> ranking = new AtomicReference<>();

  Admission(Engine engine, AdmissionSettings limits) {
    this.engine = engine;
    this.limits = limits;
  }

  /** Checks every limit but the per-peer cap (checked under the peer's lock) and reserves. */
  void admit(PeerId peer, Direction direction) {
    if (limits.deny().contains(peer)) {
      throw refuse(peer, direction, AdmissionLimit.DENIED, "peer " + peer + " is denied");
    }
    if (direction == Direction.INBOUND && limits.maxInbound() > 0
        && engine.table.inbound() >= limits.maxInbound() && !bypassesCaps(peer)) {
      throw refuse(peer, direction, AdmissionLimit.INBOUND_SHARE, "inbound connections are at "
          + "their cap of " + limits.maxInbound());
    }
    if (limits.maxConnections() == 0) {
      return; // without a total cap nothing is reserved, and nobody needs to bypass it
    }
    if (bypassesCaps(peer)) {
      reserved.incrementAndGet();
      return;
    }
    if (tryReserve()) {
      return;
    }
    if (direction == Direction.INBOUND && displaceLowerThan(peer) && tryReserve()) {
      return;
    }
    throw refuse(peer, direction, AdmissionLimit.MAX_CONNECTIONS,
        "at the total cap of " + limits.maxConnections() + " connections");
  }

  /** The per-peer cap for this peer, or 0 when it does not apply. */
  int perPeerCap(PeerId peer) {
    return limits.maxPerPeer() == 0 || bypassesCaps(peer) ? 0 : limits.maxPerPeer();
  }

  /** Gives back the slot of a connection that closed, or that was never recorded. */
  void release() {
    if (limits.maxConnections() > 0) {
      reserved.decrementAndGet();
    }
  }

  ConnectionRefusedException refuse(PeerId peer, Direction direction, AdmissionLimit limit,
      String why) {
    return refuse(peer, direction, limit, why, null);
  }

  /** A refusal, counted and heard by listeners, that says when to retry if known. */
  ConnectionRefusedException refuse(PeerId peer, Direction direction, AdmissionLimit limit,
      String why, @Nullable Duration retryAfter) {
    refusals.incrementAndGet(limit.ordinal());
    engine.bus.fire(l -> l.onRefusal(peer, direction, limit));
    return new ConnectionRefusedException(peer, limit,
        "connection from " + peer + " refused (" + limit + "): " + why, retryAfter);
  }

  Map<AdmissionLimit, Long> refusals() {
    Map<AdmissionLimit, Long> counts = new EnumMap<>(AdmissionLimit.class);
    for (AdmissionLimit limit : AdmissionLimit.values()) {
      counts.put(limit, refusals.get(limit.ordinal()));
    }
    return counts;
  }

  private boolean bypassesCaps(PeerId peer) {
    return limits.allow().contains(peer)
        || engine.protections.isProtected(peer, ConnectionManager.PIN_TAG);
  }

  private boolean tryReserve() {
    for (;;) {
      int current = reserved.get();
      if (current >= limits.maxConnections()) {
        return false;
      }
      if (reserved.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** Closes the lowest-scoring evictable connection if it scores below the newcomer's peer. */
  private boolean displaceLowerThan(PeerId newcomer) {
    double newcomerScore = engine.peerValue(newcomer);
    Ranking current = currentRanking();
    for (;;) {
      int at = current.cursor.getAndIncrement();
      if (at >= current.scores.size()) {
        return false;
      }
      ConnectionScore s = current.scores.get(at);
      if (!s.candidate() || s.score() >= newcomerScore) {
        current.cursor.decrementAndGet();
        return false;
      }
      ConnectionEntry victim = engine.table.connection(s.connectionId());
      long now = engine.clock.nanos();
      if (victim == null || victim.state() != ConnectionEntry.OPEN
          || engine.protections.isProtected(victim.peer.id, null)
          || victim.hasActiveLease(now)) {
        continue;
      }
      AdmissionRound round = new AdmissionRound(Clock.toInstant(now), engine.table);
      if (engine.vetoedBy(victim, round) != null) {
        continue;
      }
      EvictionRecord record = new EvictionRecord(round.startedAt, victim.id, victim.peer.id,
          victim.direction, Trigger.ADMISSION, "displaced at the total cap of "
              + limits.maxConnections() + " by an inbound connection from " + newcomer
              + " worth " + Round.format(newcomerScore) + "; score " + Round.format(s.score()),
          s.score(), s.breakdown());
      if (engine.closeByManager(victim, record) == Engine.CloseOutcome.CLOSED) {
        return true;
      }
    }
  }

  private Ranking currentRanking() {
    long now = engine.clock.nanos();
    Ranking current = ranking.get();
    if (current == null || now - current.madeAtNanos > RANKING_TTL_NANOS
        || current.cursor.get() >= current.scores.size()) {
      Assessment assessment = engine.assess();
      current = new Ranking(assessment.connections(), now);
      ranking.set(current);
    }
    return current;
  }

  /** Victims in closing order, shared by concurrent newcomers through the cursor. */
  private static final class Ranking {
    final List<ConnectionScore> scores;
    final long madeAtNanos;
    final AtomicInteger cursor = new AtomicInteger();

    Ranking(List<ConnectionScore> scores, long madeAtNanos) {
      this.scores = scores;
      this.madeAtNanos = madeAtNanos;
    }
  }

  /** The one-connection round a veto is asked in when a newcomer would displace a connection. */
  private static final class AdmissionRound implements TrimRound {
    final Instant startedAt;
    final PeerTable table;

    AdmissionRound(Instant startedAt, PeerTable table) {
      this.startedAt = startedAt;
      this.table = table;
    }

    @Override
    public Trigger trigger() {
      return Trigger.ADMISSION;
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public int target() {
      return 1;
    }

    @Override
    public List<ConnectionView> planned() {
      return List.of();
    }

    @Override
    public List<ConnectionView> openConnections() {
      return table.openConnections();
    }
  }
}
