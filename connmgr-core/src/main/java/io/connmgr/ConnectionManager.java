package io.connmgr;

import io.connmgr.inspect.Inspection;
import io.connmgr.inspect.ManagerStats;
import io.connmgr.internal.Arguments;
import io.connmgr.internal.ConnectionIntake;
import io.connmgr.internal.Inspector;
import io.connmgr.internal.Lifecycle;
import io.connmgr.internal.ManagerComponents;
import io.connmgr.internal.OperatorCloses;
import io.connmgr.internal.PeerAnnotations;
import io.connmgr.internal.Registrations;
import io.connmgr.internal.Rounds;
import io.connmgr.internal.Upkeep;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the number of open connections between a low and a high watermark and, when it must close
 * some, closes those that matter least, as judged by tags, protections, leases, vetoes and pulled
 * scorers. Every eviction leaves an {@link EvictionRecord} that says why.
 *
 * <p>Every open connection counts toward the watermarks, protected, leased and young ones too; they
 * are simply never candidates. Automatic rounds run from background upkeep, at least a silence
 * period apart; {@link #trim()} runs one now. All methods are thread-safe. Callbacks (closers,
 * scorers, vetoes, lease listeners, listeners) never run under the manager's locks; they run on at
 * most 8 callback threads of the manager (or on the {@linkplain Builder#executor executor} it was
 * given), each call watched against its budget, and a callback that calls {@link #trim()}, {@link
 * #maintain()}, {@link Inspection#assess()} or {@link #emergencyTrim()} gets an {@link
 * IllegalStateException} naming it. What the manager did and holds is read from {@link #stats()}
 * and {@link #inspect()}.
 *
 * <p>After {@link #close()}, calls that add or change anything throw {@link IllegalStateException};
 * reads, {@link ManagedConnection#closed()}, untagging, unprotecting and releasing keep working so
 * transports can wind down.
 */
public final class ConnectionManager implements AutoCloseable {

  /** The protection tag the console and the starter's static peers pin under. */
  public static final String PIN_TAG = "connmgr:pinned";

  private final ConnectionIntake intake;
  private final PeerAnnotations peers;
  private final Registrations registrations;
  private final Rounds rounds;
  private final Upkeep upkeep;
  private final OperatorCloses operatorCloses;
  private final Inspector inspection;
  private final Lifecycle lifecycle;

  private ConnectionManager(ManagerComponents parts) {
    this.intake = parts.intake();
    this.peers = parts.peers();
    this.registrations = parts.registrations();
    this.rounds = parts.rounds();
    this.upkeep = parts.upkeep();
    this.operatorCloses = parts.operatorCloses();
    this.inspection = parts.inspection();
    this.lifecycle = parts.lifecycle();
  }

  /** A builder with every {@link Setting}'s default. */
  public static Builder builder() {
    return new Builder();
  }

  // --- transport side -------------------------------------------------------------------------

  /**
   * Records a new open connection; it counts toward the watermarks at once.
   *
   * @param closer how the manager closes it, if it is ever chosen
   * @throws ConnectionRefusedException if a hard limit refuses it; nothing is recorded and the
   *     transport should close it
   */
  public ManagedConnection connectionOpened(
      PeerId peer, Direction direction, String remoteAddress, Closer closer) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(closer, "closer");
    return intake.connectionOpened(peer, direction, remoteAddress, closer);
  }

  // --- tags and protection --------------------------------------------------------------------

  /** Sets a tag's weight on a peer; a peer with no connection gets a temporary entry. */
  public void tagPeer(PeerId peer, String tag, int weight) {
    peers.tagPeer(Objects.requireNonNull(peer, "peer"), checkName(tag, "tag"), weight);
  }

  /** Removes a tag from a peer; unknown peers and tags are ignored. */
  public void untagPeer(PeerId peer, String tag) {
    peers.untagPeer(Objects.requireNonNull(peer, "peer"), checkName(tag, "tag"));
  }

  /**
   * Sets a tag to {@code upsert} of its current weight (0 if absent). The function runs under the
   * peer's lock: keep it small and pure.
   */
  public void upsertTag(PeerId peer, String tag, IntUnaryOperator upsert) {
    Objects.requireNonNull(upsert, "upsert");
    peers.upsertTag(Objects.requireNonNull(peer, "peer"), checkName(tag, "tag"), upsert);
  }

  /** Protects a peer under {@code tag}: no trim closes its connections until unprotected. */
  public void protect(PeerId peer, String tag) {
    peers.protect(Objects.requireNonNull(peer, "peer"), checkName(tag, "tag"));
  }

  /**
   * Removes one protection tag.
   *
   * @return whether other tags still protect the peer
   */
  public boolean unprotect(PeerId peer, String tag) {
    return peers.unprotect(Objects.requireNonNull(peer, "peer"), checkName(tag, "tag"));
  }

  /** Whether the peer is protected under {@code tag}, or under any tag when it is null. */
  public boolean isProtected(PeerId peer, @Nullable String tag) {
    return peers.isProtected(
        Objects.requireNonNull(peer, "peer"), tag == null ? null : checkName(tag, "tag"));
  }

  /** Every protected peer with its protection tags, whether or not it has a connection. */
  public Map<PeerId, Set<String>> protections() {
    return peers.protections();
  }

  /**
   * Pins a peer: protection under {@link #PIN_TAG}, as the console does. A pinned peer also
   * bypasses the admission caps, so only a verified id can be pinned.
   *
   * @throws IllegalArgumentException if the id is unverified ({@link PeerId#isVerified()})
   */
  public void pin(PeerId peer) {
    protect(requireVerified(Objects.requireNonNull(peer, "peer"), "pinned"), PIN_TAG);
  }

  /** Removes the pin; returns whether other tags still protect the peer. */
  public boolean unpin(PeerId peer) {
    return unprotect(peer, PIN_TAG);
  }

  /**
   * Registers a tag whose value decays every {@code interval} and changes on each bump.
   *
   * @throws IllegalArgumentException if a decaying tag of that name is registered, or the interval
   *     is outside [1 ms, 365 days]
   */
  public DecayingTag registerDecayingTag(
      String name, Duration interval, DecayFunction decay, BumpFunction bump) {
    checkName(name, "name");
    Bounds.check("interval", interval, Bounds.DECAY_INTERVAL_MIN, Bounds.DECAY_INTERVAL_MAX);
    Objects.requireNonNull(decay, "decay");
    Objects.requireNonNull(bump, "bump");
    return peers.registerDecayingTag(name, interval, decay, bump);
  }

  // --- typed state ----------------------------------------------------------------------------

  /**
   * A peer's state under {@code key}. A peer with no entry gets a temporary one, which goes with
   * its state if no connection arrives within the grace period.
   */
  public <T> T peerState(PeerId peer, AttachmentKey<T> key) {
    Objects.requireNonNull(key, "key");
    return peers.peerState(Objects.requireNonNull(peer, "peer"), key);
  }

  /** Updates a peer's state with exclusive access to that slot; see {@link #peerState}. */
  public <T> void updatePeer(PeerId peer, AttachmentKey<T> key, Consumer<? super T> update) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(update, "update");
    peers.updatePeer(Objects.requireNonNull(peer, "peer"), key, update);
  }

  // --- scorers, vetoes, listeners -------------------------------------------------------------

  /** Registers a peer scorer under a unique name; its weight comes from the builder. */
  public Registration registerPeerScorer(String name, PeerScorer scorer) {
    return registrations.registerPeerScorer(
        checkName(name, "name"), Objects.requireNonNull(scorer, "scorer"));
  }

  /** Registers a connection scorer under a unique name. */
  public Registration registerConnectionScorer(String name, ConnectionScorer scorer) {
    return registrations.registerConnectionScorer(
        checkName(name, "name"), Objects.requireNonNull(scorer, "scorer"));
  }

  /** Registers a stream scorer under a unique name; it rates streams of its protocol. */
  public Registration registerStreamScorer(String name, StreamScorer scorer) {
    Objects.requireNonNull(scorer, "scorer");
    checkName(scorer.protocol(), "protocol");
    return registrations.registerStreamScorer(checkName(name, "name"), scorer);
  }

  /** Registers a veto under a unique name; vetoes are asked in registration order. */
  public Registration registerVeto(String name, CloseVeto veto) {
    return registrations.registerVeto(
        checkName(name, "name"), Objects.requireNonNull(veto, "veto"));
  }

  /**
   * Adds a listener; closing the registration removes it. Its events reach it in order on a
   * callback thread, never on the thread that caused them; see {@link ConnectionManagerListener}.
   */
  public Registration addListener(ConnectionManagerListener listener) {
    return registrations.addListener(Objects.requireNonNull(listener, "listener"));
  }

  // --- operating ------------------------------------------------------------------------------

  /**
   * Runs a round now, down to low water, whatever the silence period; a caller that finds a round
   * in flight joins it and gets its report.
   *
   * @throws IllegalStateException if called from a callback of the manager (a scorer, veto, lease
   *     listener, closer or listener), or during or after {@link #close()}
   */
  public TrimReport trim() {
    return rounds.trim();
  }

  /**
   * One upkeep pass, as background upkeep runs it: applies due decay, drops temporary entries past
   * the grace period, and runs an automatic round if above high water and the silence period has
   * passed.
   */
  public void maintain() {
    upkeep.maintain();
  }

  /**
   * An operator's eviction of one connection, whatever protects it; its record's trigger is {@link
   * Trigger#OPERATOR}.
   *
   * @return false if the connection is unknown, already closed, or its closer failed
   */
  public boolean evict(long connectionId, String reason) {
    return operatorCloses.evict(connectionId, checkName(reason, "reason"));
  }

  /**
   * Closes every open connection through its closer, protected and leased ones too, each with a
   * record whose trigger is {@link Trigger#SHUTDOWN}: for an application that wants its peers told
   * why before it stops. Connections whose closer fails stay open.
   *
   * @return how many connections were closed
   */
  public int closeAll(String reason) {
    return operatorCloses.closeAll(checkName(reason, "reason"));
  }

  /**
   * Runs an emergency round now, as heap pressure does: no grace period, down to low water, never
   * touching protected, leased, kept or vetoed connections. At most one per silence period.
   *
   * @return the round's report, or empty if an emergency round ran less than a silence period ago
   */
  public Optional<TrimReport> emergencyTrim() {
    return rounds.emergencyTrim();
  }

  /**
   * The counters since the manager was built and the last rounds' reports, as one immutable value;
   * cheap enough for a health check or a scrape.
   */
  public ManagerStats stats() {
    return inspection.stats();
  }

  /**
   * Everything else there is to look at: settings and counts now, a snapshot, an assessment, the
   * eviction history and memory, tags, the registered scorers and vetoes. See {@link Inspection}.
   */
  public Inspection inspect() {
    return inspection;
  }

  /** Open connections, all of them. */
  public int connectionCount() {
    return inspection.connectionCount();
  }

  /** Peers tracked, temporary entries included. */
  public int peerCount() {
    return inspection.peerCount();
  }

  /**
   * Shuts the manager down: from the moment it is called, further calls that add, change or run
   * anything throw {@link IllegalStateException}; it stops background upkeep and memory watching,
   * waits for the round in flight (at most twice the longest a round can take: a scorer budget per
   * scorer plus a callback budget, and never more than a minute), then, when the builder asked for
   * {@link Builder#closeOnShutdown}, closes every connection with trigger {@link Trigger#SHUTDOWN},
   * and stops its own threads (an executor or scheduler the builder was given is left running).
   * Idempotent.
   */
  @Override
  public void close() {
    lifecycle.close();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return lifecycle.isClosed();
  }

  private static String checkName(String value, String what) {
    return Arguments.name(value, what);
  }

  private static PeerId requireVerified(PeerId peer, String what) {
    if (!peer.isVerified()) {
      throw new IllegalArgumentException(
          "peer "
              + peer.value()
              + " cannot be "
              + what
              + ": its id is unverified (a client merely claimed it)");
    }
    return peer;
  }

  /** The default of {@link Builder#evictionMemorySize}. */
  public static final int DEFAULT_EVICTION_MEMORY_SIZE = 10_000;

  /**
   * Builds a {@link ConnectionManager}. Setters only record (a null is refused at once); {@link
   * #validate()} and {@link #build()} check the whole configuration and report every violation
   * together, each naming its {@link Setting}. Defaults are {@link Setting}'s.
   */
  public static final class Builder {

    private final RecordedSettings values = new RecordedSettings();
    private @Nullable Executor executor;
    private @Nullable Scheduler scheduler;

    private Builder() {}

    /**
     * Where callbacks run (scorers, vetoes, lease listeners, closers, listeners, custom decay
     * functions). Default: a pool of the manager's own, at most 8 daemon threads named {@code
     * connmgr-<n>-callback-<k>}. The manager never shuts an executor given here down. Budgets still
     * hold: a call past its budget is given up on and its thread left to it, and the manager goes
     * on with another thread of the executor; when none takes the work up within the budget, or the
     * executor refuses it (or would run it on the thread handing it over, as a caller-runs policy
     * does), the round stops and its report says so (docs/core.md, Threads).
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * What runs background upkeep (every {@link #maintenanceInterval}) and emergency rounds.
     * Default: one daemon thread of the manager's own, {@code connmgr-<n>-upkeep}, started when
     * first needed. The manager never shuts a scheduler given here down; see {@link Scheduler}.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The count a round trims down to; positive and at most high water. */
    public Builder lowWater(int lowWater) {
      values.lowWater = lowWater;
      return this;
    }

    /** The count above which automatic rounds run; at least low water. */
    public Builder highWater(int highWater) {
      values.highWater = highWater;
      return this;
    }

    /** How long a new connection is no candidate; default 20 s, at most one day. */
    public Builder gracePeriod(Duration gracePeriod) {
      values.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod must not be null");
      return this;
    }

    /** The least time between automatic rounds; default 10 s, at most one day. */
    public Builder silencePeriod(Duration silencePeriod) {
      values.silencePeriod =
          Objects.requireNonNull(silencePeriod, "silencePeriod must not be null");
      return this;
    }

    /** The source of time; tests give a manual one. Default: the system clock. */
    public Builder clock(InstantSource clock) {
      values.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The period of background upkeep ({@link #maintain()}); zero for none, otherwise in [10 ms, 1
     * h]. Default 1 s.
     */
    public Builder maintenanceInterval(Duration maintenanceInterval) {
      values.maintenanceInterval =
          Objects.requireNonNull(maintenanceInterval, "maintenanceInterval must not be null");
      return this;
    }

    /** How many eviction records to keep; not negative, default 1000. */
    public Builder historySize(int historySize) {
      values.historySize = historySize;
      return this;
    }

    /**
     * How many round reports {@link ConnectionManager#stats()} keeps, newest first; 0 to 10 000,
     * default 32.
     */
    public Builder roundHistorySize(int roundHistorySize) {
      values.roundHistorySize = roundHistorySize;
      return this;
    }

    /** The cap on one lease and on each extension; default 2 min, at most one day. */
    public Builder maxLease(Duration maxLease) {
      values.maxLease = Objects.requireNonNull(maxLease, "maxLease must not be null");
      return this;
    }

    /**
     * The cap on a lease's whole life, extensions included; at least {@link #maxLease}, default 10
     * min, at most seven days.
     */
    public Builder maxLeaseLifetime(Duration maxLeaseLifetime) {
      values.maxLeaseLifetime =
          Objects.requireNonNull(maxLeaseLifetime, "maxLeaseLifetime must not be null");
      return this;
    }

    /**
     * The time one scorer call may take before it is not waited for; default 500 ms, which a
     * scorer's first, cold call (class loading, interpreted code, a GC pause, on a loaded machine)
     * stays within (docs/core.md has the measurement), and which a hung scorer costs a round once
     * (it is not called again until its call returns). A call past the budget leaves its connection
     * with its last KEEP, or behind every connection whose score is known. At most one minute.
     */
    public Builder scorerBudget(Duration scorerBudget) {
      values.scorerBudget = Objects.requireNonNull(scorerBudget, "scorerBudget must not be null");
      return this;
    }

    /**
     * How long a round waits for one closer, veto or lease listener call before it stops there and
     * returns (its report names the callback; the round does nothing more, and the callback is not
     * called again until it returns). Also the wait for a free callback thread, and for each closer
     * in {@link ConnectionManager#evict}, {@code closeAll} and shutdown. Default 1 s, at most ten
     * minutes.
     */
    public Builder callbackBudget(Duration callbackBudget) {
      values.callbackBudget =
          Objects.requireNonNull(callbackBudget, "callbackBudget must not be null");
      return this;
    }

    /** The weight of the scorer registered under {@code name}; 0 to 1000, default 1. */
    public Builder scorerWeight(String name, double weight) {
      values.scorerWeights.put(
          Objects.requireNonNull(name, "scorer name must not be null"), weight);
      return this;
    }

    /**
     * A hard cap on open connections, checked when one opens; must be above high water. At the cap
     * an inbound connection displaces the lowest-scoring evictable connection if that one scores
     * below the newcomer's peer, and is refused otherwise. Default: no cap.
     */
    public Builder maxConnections(int maxConnections) {
      values.maxConnections = maxConnections;
      return this;
    }

    /** A cap on one peer's connections; positive. Default: no cap. */
    public Builder maxConnectionsPerPeer(int maxConnectionsPerPeer) {
      values.maxConnectionsPerPeer = maxConnectionsPerPeer;
      return this;
    }

    /**
     * The share of the total cap (or of high water, without one) that inbound connections may take,
     * in (0, 1]. Default: no cap.
     */
    public Builder maxInboundShare(double maxInboundShare) {
      values.maxInboundShare = maxInboundShare;
      return this;
    }

    /**
     * Peers that bypass the caps (as pinned peers do); verified ids only ({@link
     * PeerId#isVerified()}): a client could claim an unverified one.
     */
    public Builder allow(PeerId... peers) {
      Objects.requireNonNull(peers, "peers");
      for (PeerId peer : peers) {
        values.allow.add(Objects.requireNonNull(peer, "allowed peer"));
      }
      return this;
    }

    /** Peers whose connections are always refused; none may also be allowed. */
    public Builder deny(PeerId... peers) {
      Objects.requireNonNull(peers, "peers");
      for (PeerId peer : peers) {
        values.deny.add(Objects.requireNonNull(peer, "denied peer"));
      }
      return this;
    }

    /**
     * Runs an emergency round when heap usage after a collection crosses this fraction of the
     * maximum, in (0, 1). Default: off.
     */
    public Builder emergencyHeapThreshold(double fraction) {
      values.emergencyHeapThreshold = fraction;
      return this;
    }

    /** What reports heap pressure; default a new {@link MemoryPressureSource#heap()}. */
    public Builder memoryPressureSource(MemoryPressureSource source) {
      values.memoryPressureSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Whether {@link ConnectionManager#close()} closes every connection. Default false. */
    public Builder closeOnShutdown(boolean closeOnShutdown) {
      values.closeOnShutdown = closeOnShutdown;
      return this;
    }

    /**
     * How many recently evicted peers the manager remembers, at most 1 000 000; 0 turns the memory
     * off. Default {@value #DEFAULT_EVICTION_MEMORY_SIZE}. A remembered peer that reconnects gets
     * no grace period, and while its {@linkplain #reconnectBackoff backoff} runs an inbound
     * connection from it is refused ({@link AdmissionLimit#RECENTLY_EVICTED}) when the count is at
     * or above high water; pinned, allowed and protected peers are never refused for this. When
     * full, the peer evicted longest ago is forgotten first.
     */
    public Builder evictionMemorySize(int size) {
      values.evictionMemorySize = size;
      return this;
    }

    /**
     * How long a peer is remembered after its last eviction; positive, at most a day. Default 10
     * min.
     */
    public Builder evictionMemoryWindow(Duration window) {
      values.evictionMemoryWindow =
          Objects.requireNonNull(window, "evictionMemoryWindow must not be null");
      return this;
    }

    /**
     * The reconnect backoff a peer's first eviction earns; each further eviction while the peer is
     * remembered doubles it, never beyond the {@linkplain #evictionMemoryWindow window}. Positive,
     * at most the window. Default 30 s.
     */
    public Builder reconnectBackoff(Duration firstBackoff) {
      values.reconnectBackoff =
          Objects.requireNonNull(firstBackoff, "reconnectBackoff must not be null");
      return this;
    }

    /**
     * Whether a remembered peer that reconnects with no connection open gets back the tags (plain
     * and decaying) and typed peer state it had at its last eviction; what it carries by then wins.
     * Off by default: state the application left on an evicted peer is usually stale.
     */
    public Builder restoreStateOnReconnect(boolean restore) {
      values.restoreStateOnReconnect = restore;
      return this;
    }

    /**
     * Checks the whole configuration as {@link #build()} would, without building.
     *
     * @return every violation, in the order of {@link Setting}; empty when the settings are fine
     */
    public List<InvalidSettingsException.Violation> validate() {
      return values.violations();
    }

    /**
     * Builds the manager and starts its background upkeep.
     *
     * @throws InvalidSettingsException listing every setting out of its range or inconsistent with
     *     another (low water above high water, a lease lifetime shorter than the lease, a cap not
     *     above high water, an unverified or also denied allowed peer, a backoff longer than the
     *     eviction memory's window, and so on)
     */
    public ConnectionManager build() {
      List<InvalidSettingsException.Violation> violations = values.violations();
      if (!violations.isEmpty()) {
        throw new InvalidSettingsException(violations);
      }
      return new ConnectionManager(
          ManagerComponents.assemble(values.freeze(), executor, scheduler));
    }
  }
}
