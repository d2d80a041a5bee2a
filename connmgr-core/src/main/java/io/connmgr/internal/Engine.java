package io.connmgr.internal;

import io.connmgr.AdmissionLimit;
import io.connmgr.Assessment;
import io.connmgr.BumpFunction;
import io.connmgr.CloseVeto;
import io.connmgr.Closer;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionScorer;
import io.connmgr.DecayFunction;
import io.connmgr.DecayingTag;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.LeaseListener;
import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.connmgr.ManagerInfo;
import io.connmgr.PeerId;
import io.connmgr.PeerScorer;
import io.connmgr.RecentEviction;
import io.connmgr.Registration;
import io.connmgr.ScorerInfo;
import io.connmgr.Snapshot;
import io.connmgr.StreamScorer;
import io.connmgr.TagInfo;
import io.connmgr.Trigger;
import io.connmgr.TrimReport;
import io.connmgr.VetoInfo;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The connection manager's engine. {@link io.connmgr.ConnectionManager} checks arguments and
 * delegates here; see it for the contract of each operation.
 */
public final class Engine implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Engine.class.getName());

  /** The longest {@link #close()} waits for a round in flight. */
  private static final Duration MAX_SHUTDOWN_WAIT = Duration.ofMinutes(1);

  private final ManagerSettings settings;
  private final Clock clock;
  private final Leases leases;
  private final PeerTable table;
  private final Protections protections = new Protections();
  private final ScorerRegistry scorers;
  private final CallbackSupervisor supervisor = new CallbackSupervisor();
  private final ListenerBus bus;
  private final VetoRegistry vetoes;
  private final LeaseQuestions leaseQuestions;
  private final EvictionHistory history;
  private final DecayingTags decaying;
  private final Admission admission;
  private final Closes closes;
  private final Assessor assessor;
  private final Rounds rounds;
  private final @Nullable Registration pressureWatch;
  private final @Nullable ExecutorService emergencyThread;
  private final ReturningPeers returning;
  private final @Nullable ScheduledExecutorService upkeep;
  private volatile boolean closed;

  /** Builds the engine and, when the settings ask for it, starts background upkeep. */
  public Engine(ManagerSettings settings) {
    this.settings = settings;
    this.clock = new Clock(settings.clock());
    this.bus = new ListenerBus(supervisor, settings.callbackBudget().toNanos());
    this.vetoes = new VetoRegistry(bus);
    this.leaseQuestions = new LeaseQuestions(bus);
    this.leases = new Leases(clock, settings.maxLease(), settings.maxLeaseLifetime());
    this.table = new PeerTable(clock, leases, protections);
    this.decaying = new DecayingTags(table, clock, supervisor,
        settings.callbackBudget().toNanos());
    this.scorers = new ScorerRegistry(settings.scorerWeights());
    this.history = new EvictionHistory(settings.historySize());
    this.returning = new ReturningPeers(settings.evictionMemory());
    this.admission = new Admission(settings.admission(), table, protections, bus);
    this.closes = new Closes(table, admission::release, history,
        (c, record) -> returning.remember(c, record, clock.nanos()), bus, supervisor);
    CandidatePolicy policy = new CandidatePolicy(table, protections,
        settings.gracePeriod().toNanos());
    RoundParts parts = new RoundParts(settings, table, policy, scorers, vetoes, leaseQuestions,
        closes, supervisor, bus, clock);
    this.assessor = new Assessor(policy, scorers, supervisor, bus,
        settings.scorerBudget().toNanos());
    this.rounds = new Rounds(parts, table);
    admission.displaceWith(new Displacement(parts, assessor, table));
    if (settings.emergencyHeapThreshold() > 0) {
      this.emergencyThread = Executors.newSingleThreadExecutor(daemonThreads("connmgr-emergency-"));
      this.pressureWatch = settings.memoryPressure().watch(settings.emergencyHeapThreshold(),
          this::onMemoryPressure);
    } else {
      this.emergencyThread = null;
      this.pressureWatch = null;
    }
    if (settings.maintenanceInterval().isZero()) {
      this.upkeep = null;
    } else {
      this.upkeep = Executors.newSingleThreadScheduledExecutor(daemonThreads("connmgr-upkeep-"));
      long period = settings.maintenanceInterval().toNanos();
      upkeep.scheduleWithFixedDelay(this::upkeepTick, period, period, TimeUnit.NANOSECONDS);
    }
  }

  // --- transport side -------------------------------------------------------------------------

  public ManagedConnection connectionOpened(PeerId peer, Direction direction, String remoteAddress,
      Closer closer) {
    ensureOpen();
    long now = clock.nanos();
    EvictionMemory.Entry recalled = returning.recall(peer, now);
    if (recalled != null && direction == Direction.INBOUND && !exemptFromBackoff(peer)) {
      ReturningPeers.Refusal wait = returning.refusal(recalled, now, table.connectionCount(),
          settings.highWater());
      if (wait != null) {
        throw admission.refuse(peer, direction, AdmissionLimit.RECENTLY_EVICTED, wait.why(),
            wait.retryAfter());
      }
    }
    admission.admit(peer, direction);
    ConnectionEntry entry;
    try {
      if (recalled != null) {
        returning.giveBack(table, peer, now);
      }
      entry = table.open(peer, direction, remoteAddress, closer, admission.perPeerCap(peer));
    } catch (RuntimeException | Error e) {
      admission.release();
      throw e;
    }
    if (entry == null) {
      admission.release();
      throw admission.refuse(peer, direction, AdmissionLimit.MAX_PER_PEER,
          "the peer already has " + settings.admission().maxPerPeer() + " connections");
    }
    entry.graceWaived = recalled != null;
    if (closed) {
      // close() began while this one was being recorded and may have passed it by: the
      // transport closes it, as it would a refused one
      closes.transportClosed(entry);
      ensureOpen();
    }
    if (!bus.isEmpty()) {
      bus.fire(l -> l.onConnectionOpened(entry));
    }
    return new ConnectionHandle(this, entry);
  }

  /** Pinned, allowed and otherwise protected peers never wait out a reconnect backoff. */
  private boolean exemptFromBackoff(PeerId peer) {
    return settings.admission().allow().contains(peer) || protections.isProtected(peer, null);
  }

  void transportClosed(ConnectionEntry c) {
    closes.transportClosed(c);
  }

  ManagedStream openStream(ConnectionEntry c, String protocol, Direction direction) {
    ensureOpen();
    return new StreamHandle(this, table.openStream(c, protocol, direction));
  }

  void closeStream(StreamEntry s) {
    table.closeStream(s);
  }

  LeaseImpl lease(ConnectionEntry c, @Nullable StreamEntry s, Duration d, LeaseListener l) {
    ensureOpen();
    return leases.take(c, s, d, l);
  }

  // --- tags and protection --------------------------------------------------------------------

  public void tagPeer(PeerId peer, String tag, int weight) {
    ensureOpen();
    ensurePlainTag(tag);
    table.withPeer(peer, e -> {
      e.setTag(tag, weight);
      return e;
    });
  }

  public void untagPeer(PeerId peer, String tag) {
    table.withExistingPeer(peer, e -> {
      e.removeTag(tag);
      return e;
    });
  }

  public void upsertTag(PeerId peer, String tag, IntUnaryOperator upsert) {
    ensureOpen();
    ensurePlainTag(tag);
    table.withPeer(peer, e -> {
      e.setTag(tag, upsert.applyAsInt(e.weight(tag, 0)));
      return e;
    });
  }

  public Optional<TagInfo> tagInfo(PeerId peer) {
    return Optional.ofNullable(table.withExistingPeer(peer, e -> {
      Map<Long, Instant> connections = new LinkedHashMap<>();
      for (ConnectionEntry c : e.connectionArray()) {
        connections.put(c.id, c.openedAt());
      }
      return new TagInfo(e.firstSeen(), e.tagValue(), e.tags(), connections);
    }));
  }

  public void protect(PeerId peer, String tag) {
    ensureOpen();
    boolean added;
    try {
      added = protections.protect(peer, tag);
      table.protectionChanged(peer);
    } finally {
      protections.markChanged();
    }
    if (added) {
      bus.fire(l -> l.onProtectionChanged(peer, tag, true));
    }
  }

  public boolean unprotect(PeerId peer, String tag) {
    boolean wasProtected = protections.isProtected(peer, tag);
    boolean stillProtected;
    try {
      stillProtected = protections.unprotect(peer, tag);
      table.protectionChanged(peer);
    } finally {
      protections.markChanged();
    }
    if (wasProtected) {
      bus.fire(l -> l.onProtectionChanged(peer, tag, false));
    }
    return stillProtected;
  }

  public Map<PeerId, java.util.Set<String>> protections() {
    return protections.all();
  }

  public boolean isProtected(PeerId peer, @Nullable String tag) {
    return protections.isProtected(peer, tag);
  }

  public DecayingTag registerDecayingTag(String name, Duration interval, DecayFunction decay,
      BumpFunction bump) {
    ensureOpen();
    return decaying.register(name, interval, decay, bump);
  }

  private void ensurePlainTag(String tag) {
    if (decaying.isRegistered(tag)) {
      throw new IllegalArgumentException("tag '" + tag
          + "' is a registered decaying tag; change it through its DecayingTag");
    }
  }

  // --- typed peer state -----------------------------------------------------------------------

  public <T> T peerState(PeerId peer, io.connmgr.AttachmentKey<T> key) {
    return table.withPeer(peer, e -> e).state(key);
  }

  public <T> void updatePeer(PeerId peer, io.connmgr.AttachmentKey<T> key,
      Consumer<? super T> update) {
    table.withPeer(peer, e -> e).update(key, update);
  }

  // --- scorers, vetoes, listeners -------------------------------------------------------------

  public Registration registerPeerScorer(String name, PeerScorer scorer) {
    ensureOpen();
    return scorers.register(RegisteredScorer.peer(name, scorers.weightOf(name), scorer));
  }

  public Registration registerConnectionScorer(String name, ConnectionScorer scorer) {
    ensureOpen();
    return scorers.register(RegisteredScorer.connection(name, scorers.weightOf(name), scorer));
  }

  public Registration registerStreamScorer(String name, StreamScorer scorer) {
    ensureOpen();
    return scorers.register(RegisteredScorer.stream(name, scorers.weightOf(name), scorer));
  }

  public Registration registerVeto(String name, CloseVeto veto) {
    ensureOpen();
    return vetoes.register(name, veto);
  }

  public Map<AdmissionLimit, Long> refusals() {
    return admission.refusals();
  }

  public long emergencyRounds() {
    return rounds.emergencyRounds();
  }

  public Registration addListener(ConnectionManagerListener listener) {
    return bus.add(listener);
  }

  public List<ScorerInfo> scorerInfos() {
    return scorers.infos();
  }

  public List<VetoInfo> vetoInfos() {
    return vetoes.infos();
  }

  /** Lease extensions granted by listeners when a round asked, over the manager's life. */
  public long leaseExtensions() {
    return leaseQuestions.extensions();
  }

  /** Listener events dropped because their listener's queue was full. */
  public long droppedListenerEvents() {
    return bus.dropped();
  }

  // --- rounds ---------------------------------------------------------------------------------

  public TrimReport trim() {
    ensureOpen();
    return rounds.trim();
  }

  public void maintain() {
    ensureOpen();
    CallbackSupervisor.ensureNotInCallback("maintain()");
    decaying.decay();
    long now = clock.nanos();
    table.dropTemporariesSeenBefore(now - settings.gracePeriod().toNanos());
    rounds.automatic(now);
  }

  public Optional<TrimReport> emergencyTrim() {
    ensureOpen();
    return rounds.emergency();
  }

  private void onMemoryPressure() {
    ExecutorService thread = emergencyThread;
    if (thread != null && !closed) {
      thread.execute(() -> {
        try {
          emergencyTrim();
        } catch (RuntimeException e) {
          if (!closed) {
            LOG.log(Level.WARNING, "connmgr emergency round failed", e);
          }
        }
      });
    }
  }

  private void upkeepTick() {
    try {
      maintain();
    } catch (IllegalStateException e) {
      if (!closed) {
        LOG.log(Level.WARNING, "connmgr upkeep failed", e);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "connmgr upkeep failed", e);
    }
  }

  public boolean evict(long connectionId, String reason) {
    ensureOpen();
    ConnectionEntry c = table.connection(connectionId);
    if (c == null || c.state() != ConnectionEntry.OPEN) {
      return false;
    }
    EvictionRecord record = new EvictionRecord(clock.instant(), c.id, c.peer.id, c.direction,
        Trigger.OPERATOR, reason, c.peer.tagValue(), c.peer.tagBreakdown());
    return closes.closeOne(c, record, settings.callbackBudget().toNanos())
        == Closes.Outcome.CLOSED;
  }

  public int closeAll(String reason) {
    ensureOpen();
    return closeEverything(reason);
  }

  /** Closes every open connection, protected and leased ones too, with trigger SHUTDOWN. */
  private int closeEverything(String reason) {
    List<ConnectionEntry> open = new ArrayList<>();
    for (PeerEntry peer : table.peers()) {
      open.addAll(List.of(peer.connectionArray()));
    }
    return closes.closeEach(open, c -> new EvictionRecord(clock.instant(), c.id, c.peer.id,
        c.direction, Trigger.SHUTDOWN, reason, c.peer.tagValue(), c.peer.tagBreakdown()),
        settings.callbackBudget().toNanos());
  }

  // --- reading --------------------------------------------------------------------------------

  public int connectionCount() {
    return table.connectionCount();
  }

  public int peerCount() {
    return table.peerCount();
  }

  public Instant now() {
    return clock.instant();
  }

  public ManagerInfo info() {
    return new ManagerInfo(settings.lowWater(), settings.highWater(), settings.gracePeriod(),
        settings.silencePeriod(), table.connectionCount(), rounds.lastTrim(),
        table.inbound(), table.outbound(), table.peerCount(), table.streamCount(),
        protections.protectedPeers(), leases.activeCount(), rounds.lastReport());
  }

  public Assessment assess() {
    ensureOpen();
    CallbackSupervisor.ensureNotInCallback("assess()");
    try {
      return assessor.assess(clock.nanos(), clock.instant());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("assessment interrupted", e);
    }
  }

  public List<EvictionRecord> evictionHistory() {
    return history.newestFirst();
  }

  public Optional<RecentEviction> recentEviction(PeerId peer) {
    return returning.describe(peer, clock.nanos());
  }

  public int recentlyEvictedPeers() {
    return returning.size(clock.nanos());
  }

  public Snapshot snapshot() {
    return SnapshotBuilder.take(table, protections, clock.nanos());
  }

  // --- life -----------------------------------------------------------------------------------

  public boolean isClosed() {
    return closed;
  }

  /**
   * Refuses every further call, waits (at most {@link #shutdownWaitNanos}) for the round in
   * flight, closes every connection when the settings ask for it, lets the listeners hear what
   * is queued for them (at most a callback budget), and stops the threads.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (pressureWatch != null) {
      pressureWatch.close();
    }
    if (upkeep != null) {
      upkeep.shutdown();
    }
    if (emergencyThread != null) {
      emergencyThread.shutdown();
    }
    rounds.awaitInFlight(shutdownWaitNanos());
    if (settings.closeOnShutdown()) {
      closeEverything("the connection manager is shutting down");
    }
    if (upkeep != null) {
      upkeep.shutdownNow();
    }
    if (emergencyThread != null) {
      emergencyThread.shutdownNow();
    }
    bus.drain(settings.callbackBudget().toNanos());
    supervisor.shutdown();
  }

  /**
   * The longest a round can take: one scorer budget per scorer (each hung one costs one) and one
   * callback budget, with as much again for a loaded machine.
   */
  private long shutdownWaitNanos() {
    Duration round = settings.scorerBudget().multipliedBy(1 + scorers.current().all.length)
        .plus(settings.callbackBudget()).multipliedBy(2);
    return round.compareTo(MAX_SHUTDOWN_WAIT) > 0 ? MAX_SHUTDOWN_WAIT.toNanos() : round.toNanos();
  }

  private void ensureOpen() {
    if (closed || supervisor.isShutdown()) {
      throw new IllegalStateException("the connection manager is closed");
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
