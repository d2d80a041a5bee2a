package io.connmgr.internal;

import io.connmgr.AdmissionLimit;
import io.connmgr.inspect.Assessment;
import io.connmgr.EvictionRecord;
import io.connmgr.inspect.ManagerInfo;
import io.connmgr.PeerId;
import io.connmgr.inspect.RecentEviction;
import io.connmgr.inspect.ScorerInfo;
import io.connmgr.inspect.Snapshot;
import io.connmgr.inspect.VetoInfo;
import io.connmgr.inspect.ManagerStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What operators and consoles read: counts, the manager's summary, a consistent snapshot, an
 * assessment (a round that closes nothing), the eviction history, the eviction memory and the
 * admission refusals. Nothing here changes the manager.
 */
public final class Inspection {

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

  Inspection(OpenState open, ManagerSettings settings, Clock clock, PeerTable table,
      Protections protections, Leases leases, Rounds rounds, Assessor assessor,
      EvictionHistory history, ReturningPeers returning, Admission admission,
      Registrations registrations) {
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
  }

  /** See {@link io.connmgr.ConnectionManager#connectionCount}. */
  public int connectionCount() {
    return table.connectionCount();
  }

  /** See {@link io.connmgr.ConnectionManager#peerCount}. */
  public int peerCount() {
    return table.peerCount();
  }

  /** See {@link io.connmgr.ConnectionManager#now}. */
  public Instant now() {
    return clock.instant();
  }

  /** See {@link io.connmgr.ConnectionManager#info}. */
  public ManagerInfo info() {
    return new ManagerInfo(settings.lowWater(), settings.highWater(), settings.gracePeriod(),
        settings.silencePeriod(), table.connectionCount(), rounds.lastTrim(),
        table.inbound(), table.outbound(), table.peerCount(), table.streamCount(),
        protections.protectedPeers(), leases.activeCount(), rounds.lastReport());
  }

  /** See {@link io.connmgr.ConnectionManager#stats}. */
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
    return new ManagerStats(rounds.counts(), history.total(), admission.refusals(), vetoes,
        registrations.leaseExtensions(), scorerTimeouts, scorerErrors,
        registrations.droppedListenerEvents(), rounds.newestFirst());
  }

  /** See {@link io.connmgr.ConnectionManager#snapshot}. */
  public Snapshot snapshot() {
    return SnapshotBuilder.take(table, protections, clock.nanos());
  }

  /** See {@link io.connmgr.ConnectionManager#assess}. */
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

  /** See {@link io.connmgr.ConnectionManager#evictionHistory}. */
  public List<EvictionRecord> evictionHistory() {
    return history.newestFirst();
  }

  /** See {@link io.connmgr.ConnectionManager#recentEviction}. */
  public Optional<RecentEviction> recentEviction(PeerId peer) {
    return returning.describe(peer, clock.nanos());
  }

  /** See {@link io.connmgr.ConnectionManager#recentlyEvictedPeers}. */
  public int recentlyEvictedPeers() {
    return returning.size(clock.nanos());
  }

  /** See {@link io.connmgr.ConnectionManager#refusals}. */
  public Map<AdmissionLimit, Long> refusals() {
    return admission.refusals();
  }
}
