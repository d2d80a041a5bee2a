package io.connmgr.internal;

import io.connmgr.ConnectionView;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import io.connmgr.TrimRound;
import io.connmgr.inspect.ConnectionScore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * At the total cap, makes room for an inbound newcomer by closing the first connection in the
 * policy's order (an assessment's) that is worth less than the newcomer's peer, after the same
 * re-checks and vetoes a round applies.
 */
final class Displacement {

  /** How long a ranking of victims is reused before it is computed again. */
  private static final long RANKING_TTL_NANOS = 1_000_000_000L;

  private final RoundParts parts;
  private final Assessor assessor;
  private final PeerTable table;
  private final AtomicReference<@Nullable Ranking> ranking = new AtomicReference<>();

  Displacement(RoundParts parts, Assessor assessor, PeerTable table) {
    this.parts = parts;
    this.assessor = assessor;
    this.table = table;
  }

  /** Closes the first evictable connection worth less than {@code newcomer}'s peer, if any. */
  boolean displaceLowerThan(PeerId newcomer) {
    double newcomerScore;
    Ranking current;
    try {
      newcomerScore = peerValue(newcomer);
      current = currentRanking();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    for (; ; ) {
      int at = current.cursor().getAndIncrement();
      if (at >= current.scores().size()) {
        return false;
      }
      ConnectionScore s = current.scores().get(at);
      if (!s.candidate() || s.score() >= newcomerScore) {
        current.cursor().decrementAndGet();
        return false;
      }
      ConnectionEntry victim = current.entries().get(at);
      long now = parts.clock().nanos();
      if (victim.state() != ConnectionEntry.OPEN
          || parts.policy().heldBackNow(victim, now) != null) {
        continue;
      }
      AdmissionRound round = new AdmissionRound(parts.clock().instant(), table);
      EvictionRecord record =
          new EvictionRecord(
              round.startedAt(),
              victim.id(),
              victim.peer(),
              victim.direction(),
              Trigger.ADMISSION,
              "displaced at the total cap of "
                  + parts.settings().admission().maxConnections()
                  + " by an inbound connection from "
                  + newcomer
                  + " worth "
                  + ScoreText.format(newcomerScore)
                  + "; score "
                  + ScoreText.format(s.score()),
              s.score(),
              s.breakdown());
      if (vetoOrClose(victim, round, record, now)) {
        return true;
      }
    }
  }

  /** Asks the vetoes and, if none objects, closes the victim; true if it closed. */
  private boolean vetoOrClose(
      ConnectionEntry victim, TrimRound round, EvictionRecord record, long nowNanos) {
    boolean[] closed = new boolean[1];
    CallWatch watch =
        CallWatch.start(
            parts.supervisor(),
            "the vetoes of connection " + victim.id(),
            w ->
                closed[0] =
                    parts.vetoes().vetoedBy(victim, round, w) == null
                        && parts.closes().close(victim, record, nowNanos, w)
                            == Closes.Outcome.CLOSED);
    try {
      CallWatch.Stall stall = watch.await(parts.settings().callbackBudget().toNanos());
      if (stall != null) {
        if (stall.callback().startsWith("the veto ")) {
          parts.vetoes().markHung(stall.callback());
        }
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return closed[0];
  }

  /** A peer's worth as admission sees it: its tag value plus its peer scorers, within budget. */
  private double peerValue(PeerId peer) throws InterruptedException {
    PeerEntry entry = table.get(peer);
    long now = parts.clock().nanos();
    PeerEntry subject = entry != null ? entry : new PeerEntry(peer, now);
    ConnectionEntry probe = ConnectionEntry.probe(subject, now);
    ScoringPass pass =
        new ScoringPass(
            parts.scorers().peerScorers(),
            new ConnectionEntry[] {probe},
            1,
            parts.settings().scorerBudget().toNanos(),
            false);
    pass.run(parts.supervisor());
    pass.publish();
    return subject.tagValue() + (pass.kept(0) ? Double.POSITIVE_INFINITY : pass.scorersTotal(0));
  }

  private Ranking currentRanking() throws InterruptedException {
    long now = parts.clock().nanos();
    Ranking current = ranking.get();
    if (current == null
        || now - current.madeAtNanos() > RANKING_TTL_NANOS
        || current.cursor().get() >= current.scores().size()) {
      current = Ranking.of(assessor.rank(now, parts.clock().instant()), now);
      ranking.set(current);
    }
    return current;
  }

  /** Victims in closing order, shared by concurrent newcomers through the cursor. */
  private record Ranking(
      List<ConnectionScore> scores,
      List<ConnectionEntry> entries,
      long madeAtNanos,
      AtomicInteger cursor) {

    /** {@code entries} are the connections of {@code scores}, by the same index. */
    static Ranking of(Assessor.Ranked ranked, long madeAtNanos) {
      return new Ranking(
          ranked.assessment().connections(), ranked.entries(), madeAtNanos, new AtomicInteger());
    }
  }

  /** The one-connection round a veto is asked in when a newcomer would displace a connection. */
  private static final class AdmissionRound implements TrimRound {
    private final Instant startedAt;
    private final PeerTable table;

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
