package io.connmgr.internal;

import io.connmgr.ConnectionView;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import io.connmgr.TrimRound;
import io.connmgr.inspect.ConnectionScore;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * At the total cap, makes room for an inbound newcomer by closing the first connection in the
 * policy's order (an assessment's) that is worth less than the newcomer's peer, after the same
 * re-checks and vetoes a round applies.
 *
 * <p>The connecting thread is usually a transport's I/O thread (Netty's event loop, gRPC's, Reactor
 * Netty's), which every other connection of that loop shares: it never waits for a callback. The
 * work (the newcomer's peer scorers, a ranking of every connection, the victim's vetoes and closer)
 * runs on a callback thread, one displacement at a time, and the connecting thread waits for it at
 * most {@link #WAIT}; past that the newcomer is refused with a retry-after while the displacement
 * goes on, and the room it makes goes to the next connection that comes (the newcomer's retry,
 * typically). A newcomer arriving while a displacement is under way is refused at once, likewise:
 * so a flood at the cap costs one displacement at a time, never a victim per connection attempt nor
 * a blocked event loop.
 */
final class Displacement {

  private static final System.Logger LOG = System.getLogger(Displacement.class.getName());

  /** How long a ranking of victims is reused before it is computed again. */
  private static final long RANKING_TTL_NANOS = 1_000_000_000L;

  /** The longest a connecting thread waits for a displacement. */
  static final Duration WAIT = Duration.ofMillis(10);

  /** What a newcomer is told to wait before it tries again when a displacement was under way. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** What a displacement came to, as far as the connecting thread saw. */
  enum Outcome {
    /** A victim closed: there is room for one more. */
    MADE_ROOM,
    /** No connection worth less than the newcomer could be closed. */
    NO_ROOM,
    /** A displacement was under way and did not end within {@link #WAIT}: try again later. */
    UNDER_WAY
  }

  private final RoundParts parts;
  private final Assessor assessor;
  private final PeerTable table;
  private final AtomicReference<@Nullable Ranking> ranking = new AtomicReference<>();

  /** Set while a displacement is queued or running on a callback thread. */
  private final AtomicBoolean underWay = new AtomicBoolean();

  Displacement(RoundParts parts, Assessor assessor, PeerTable table) {
    this.parts = parts;
    this.assessor = assessor;
    this.table = table;
  }

  /**
   * Closes, on a callback thread, the first evictable connection worth less than {@code newcomer}'s
   * peer, if any, waiting at most {@link #WAIT} to learn whether it did.
   */
  Outcome displaceLowerThan(PeerId newcomer) {
    if (!underWay.compareAndSet(false, true)) {
      return Outcome.UNDER_WAY;
    }
    Attempt attempt = new Attempt(newcomer);
    try {
      parts.supervisor().execute(attempt);
    } catch (RejectedExecutionException | IllegalStateException e) {
      underWay.set(false);
      return Outcome.NO_ROOM;
    }
    return attempt.await();
  }

  /** One displacement on a callback thread, and what the connecting thread waits on. */
  private final class Attempt implements Runnable {

    private final PeerId newcomer;
    private final CountDownLatch done = new CountDownLatch(1);

    /** Set by the callback thread when it starts, or by the waiter when it gives up first. */
    private final AtomicBoolean claimed = new AtomicBoolean();

    private volatile boolean madeRoom;

    Attempt(PeerId newcomer) {
      this.newcomer = newcomer;
    }

    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true)) {
        return; // the connecting thread gave up before any thread took it: nobody waits for it
      }
      try {
        madeRoom = displaceNow(newcomer);
      } catch (Throwable e) { // the manager's own slip: logged, and the next newcomer tries again
        LOG.log(Level.WARNING, "connmgr displacement for " + newcomer + " failed", e);
      } finally {
        underWay.set(false);
        done.countDown();
      }
    }

    Outcome await() {
      try {
        if (done.await(WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
          return madeRoom ? Outcome.MADE_ROOM : Outcome.NO_ROOM;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (claimed.compareAndSet(false, true)) {
        underWay.set(false); // no thread took it up: it never runs
      }
      return Outcome.UNDER_WAY;
    }
  }

  /** Closes the first evictable connection worth less than {@code newcomer}'s peer, if any. */
  private boolean displaceNow(PeerId newcomer) {
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
