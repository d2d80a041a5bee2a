package io.connmgr.internal;

import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.inspect.Assessment;
import io.connmgr.inspect.Inspection;
import io.connmgr.inspect.ManagerStats;
import io.connmgr.inspect.RecentEviction;
import io.connmgr.inspect.ScorerInfo;
import io.connmgr.inspect.Snapshot;
import io.connmgr.inspect.TagInfo;
import io.connmgr.inspect.VetoInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What operators and consoles read ({@link Inspection}) and the statistics view: the manager's
 * summary, a consistent snapshot, an assessment (a round that closes nothing), the eviction history
 * and memory, tags, the registered scorers and vetoes, and the counters. Nothing here changes the
 * manager.
 */
public final class Inspector implements Inspection {

  private final OpenState open;
  private final ManagerSettings settings;
  private final Clock clock;
  private final PeerTable table;
  private final Protections protections;
  private final Leases leases;
  private final Rounds rounds;
  private final Assessor assessor;
  private final EvictionHistory history;
  private final ReturningPeers returning;
  private final Admission admission;
  private final Registrations registrations;
  private final PeerAnnotations peers;

  Inspector(
      OpenState open,
      ManagerSettings settings,
      Clock clock,
      PeerTable table,
      Protections protections,
      Leases leases,
      Rounds rounds,
      Assessor assessor,
      EvictionHistory history,
      ReturningPeers returning,
      Admission admission,
      Registrations registrations,
      PeerAnnotations peers) {
    this.open = open;
    this.settings = settings;
    this.clock = clock;
    this.table = table;
    this.protections = protections;
    this.leases = leases;
    this.rounds = rounds;
    this.assessor = assessor;
    this.history = history;
    this.returning = returning;
    this.admission = admission;
    this.registrations = registrations;
    this.peers = peers;
  }

  /** Open connections; see {@link io.connmgr.ConnectionManager#connectionCount}. */
  public int connectionCount() {
    return table.connectionCount();
  }

  /** Peers tracked; see {@link io.connmgr.ConnectionManager#peerCount}. */
  public int peerCount() {
    return table.peerCount();
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  /** The counters and the last rounds; see {@link io.connmgr.ConnectionManager#stats}. */
  public ManagerStats stats() {
    RoundHistory rounds = this.rounds.history();
    long scorerTimeouts = 0;
    long scorerErrors = 0;
    for (ScorerInfo scorer : registrations.scorerInfos()) {
      scorerTimeouts += scorer.timeouts();
      scorerErrors += scorer.errors();
    }
    long vetoes = 0;
    for (VetoInfo veto : registrations.vetoInfos()) {
      vetoes += veto.vetoes();
    }
    return new ManagerStats(
        settings.lowWater(),
        settings.highWater(),
        settings.gracePeriod(),
        settings.silencePeriod(),
        table.connectionCount(),
        table.inbound(),
        table.outbound(),
        table.peerCount(),
        table.streamCount(),
        protections.protectedPeers(),
        leases.activeCount(),
        rounds.counts(),
        history.total(),
        admission.refusals(),
        vetoes,
        registrations.leaseExtensions(),
        scorerTimeouts,
        scorerErrors,
        registrations.droppedListenerEvents(),
        this.rounds.lastTrim(),
        this.rounds.lastReport(),
        rounds.newestFirst());
  }

  @Override
  public Snapshot snapshot() {
    return SnapshotBuilder.take(table, protections, clock.nanos());
  }

  @Override
  public Assessment assess() {
    open.ensureOpen();
    CallbackSupervisor.ensureNotInCallback("assess()");
    try {
      return assessor.assess(clock.nanos(), clock.instant());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("assessment interrupted", e);
    }
  }

  @Override
  public List<EvictionRecord> evictionHistory() {
    return history.newestFirst();
  }

  @Override
  public Optional<RecentEviction> recentEviction(PeerId peer) {
    Objects.requireNonNull(peer, "peer");
    return returning.describe(peer, clock.nanos());
  }

  @Override
  public int recentlyEvictedPeers() {
    return returning.size(clock.nanos());
  }

  @Override
  public Optional<TagInfo> tagInfo(PeerId peer) {
    return peers.tagInfo(Objects.requireNonNull(peer, "peer"));
  }

  @Override
  public List<ScorerInfo> scorers() {
    return registrations.scorerInfos();
  }

  @Override
  public List<VetoInfo> vetoes() {
    return registrations.vetoInfos();
  }
}
