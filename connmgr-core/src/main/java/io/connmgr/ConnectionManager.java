package io.connmgr;

import io.connmgr.inspect.Inspection;
import io.connmgr.inspect.ManagerStats;
import io.connmgr.internal.AdmissionSettings;
import io.connmgr.internal.Arguments;
import io.connmgr.internal.ConnectionIntake;
import io.connmgr.internal.EvictionMemorySettings;
import io.connmgr.internal.Inspector;
import io.connmgr.internal.Lifecycle;
import io.connmgr.internal.ManagerComponents;
import io.connmgr.internal.ManagerSettings;
import io.connmgr.internal.OperatorCloses;
import io.connmgr.internal.PeerAnnotations;
import io.connmgr.internal.Registrations;
import io.connmgr.internal.Rounds;
import io.connmgr.internal.Upkeep;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the number of open connections between a low and a high watermark and, when it must close
 * some, closes those that matter least, as judged by tags, protections, leases, vetoes and pulled
 * scorers. Every eviction leaves an {@link EvictionRecord} that says why.
 *
 * <p>Every open connection counts toward the watermarks, protected, leased and young ones too;
 * they are simply never candidates. Automatic rounds run from background upkeep, at least a
 * silence period apart; {@link #trim()} runs one now. All methods are thread-safe. Callbacks
 * (closers, scorers, vetoes, lease listeners, listeners) never run under the manager's locks; they
 * run on at most 8 callback threads of the manager, each call watched against its budget, and a
 * callback that calls {@link #trim()}, {@link #maintain()}, {@link Inspection#assess()} or {@link
 * #emergencyTrim()} gets an {@link IllegalStateException} naming it. What the manager did and
 * holds is read from {@link #stats()} and {@link #inspect()}.
 *
 * <p>After {@link #close()}, calls that add or change anything throw {@link
 * IllegalStateException}; reads, {@link ManagedConnection#closed()}, untagging, unprotecting and
 * releasing keep working so transports can wind down.
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

  /** A builder with the defaults: low 600, high 900, grace 20 s, silence 10 s, upkeep every 1 s. */
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
  public ManagedConnection connectionOpened(PeerId peer, Direction direction,
      String remoteAddress, Closer closer) {
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
    return peers.isProtected(Objects.requireNonNull(peer, "peer"),
        tag == null ? null : checkName(tag, "tag"));
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
   * @throws IllegalArgumentException if a decaying tag of that name is registered, or the
   *     interval is outside [{@link Bounds#DECAY_INTERVAL_MIN}, {@link Bounds#DECAY_INTERVAL_MAX}]
   */
  public DecayingTag registerDecayingTag(String name, Duration interval, DecayFunction decay,
      BumpFunction bump) {
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
    return registrations.registerPeerScorer(checkName(name, "name"),
        Objects.requireNonNull(scorer, "scorer"));
  }

  /** Registers a connection scorer under a unique name. */
  public Registration registerConnectionScorer(String name, ConnectionScorer scorer) {
    return registrations.registerConnectionScorer(checkName(name, "name"),
        Objects.requireNonNull(scorer, "scorer"));
  }

  /** Registers a stream scorer under a unique name; it rates streams of its protocol. */
  public Registration registerStreamScorer(String name, StreamScorer scorer) {
    Objects.requireNonNull(scorer, "scorer");
    checkName(scorer.protocol(), "protocol");
    return registrations.registerStreamScorer(checkName(name, "name"), scorer);
  }

  /** Registers a veto under a unique name; vetoes are asked in registration order. */
  public Registration registerVeto(String name, CloseVeto veto) {
    return registrations.registerVeto(checkName(name, "name"),
        Objects.requireNonNull(veto, "veto"));
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
   * Runs a round now, down to low water, whatever the silence period; a caller that finds a
   * round in flight joins it and gets its report.
   *
   * @throws IllegalStateException if called from a callback of the manager (a scorer, veto,
   *     lease listener, closer or listener), or during or after {@link #close()}
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
   * An operator's eviction of one connection, whatever protects it; its record's trigger is
   * {@link Trigger#OPERATOR}.
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
   * The counters since the manager was built and the last rounds' reports, as one immutable
   * value; cheap enough for a health check or a scrape.
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
   * anything throw {@link IllegalStateException}; it stops background upkeep and memory
   * watching, waits for the round in flight (at most twice the longest a round can take: a
   * scorer budget per scorer plus a callback budget, and never more than a minute), then, when
   * the builder asked for {@link Builder#closeOnShutdown}, closes every connection with trigger
   * {@link Trigger#SHUTDOWN}, and stops the callback threads. Idempotent.
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

  private static Duration atMost(Duration d, String what, Duration max) {
    return Bounds.check(what, d, Duration.ZERO, max);
  }

  private static Duration positiveAtMost(Duration d, String what, Duration max) {
    return Bounds.check(what, d, Duration.ofNanos(1), max);
  }

  private static PeerId requireVerified(PeerId peer, String what) {
    if (!peer.isVerified()) {
      throw new IllegalArgumentException("peer " + peer.value() + " cannot be " + what
          + ": its id is unverified (a client merely claimed it)");
    }
    return peer;
  }

  /** The default of {@link Builder#roundHistorySize}. */
  public static final int DEFAULT_ROUND_HISTORY_SIZE = 32;

  /** The default of {@link Builder#evictionMemorySize}. */
  public static final int DEFAULT_EVICTION_MEMORY_SIZE = 10_000;

  /** Builds a {@link ConnectionManager}; each setter checks its argument at once. */
  public static final class Builder {

    private int lowWater = 600;
    private int highWater = 900;
    private Duration gracePeriod = Duration.ofSeconds(20);
    private Duration silencePeriod = Duration.ofSeconds(10);
    private InstantSource clock = InstantSource.system();
    private Duration maintenanceInterval = Duration.ofSeconds(1);
    private int historySize = 1000;
    private int roundHistorySize = DEFAULT_ROUND_HISTORY_SIZE;
    private Duration maxLease = Duration.ofMinutes(2);
    private Duration maxLeaseLifetime = Duration.ofMinutes(10);
    private Duration scorerBudget = Duration.ofMillis(500);
    private Duration callbackBudget = Duration.ofSeconds(1);
    private final Map<String, Double> scorerWeights = new HashMap<>();
    private int maxConnections;
    private int maxConnectionsPerPeer;
    private double maxInboundShare;
    private final Set<PeerId> allow = new HashSet<>();
    private final Set<PeerId> deny = new HashSet<>();
    private double emergencyHeapThreshold;
    private MemoryPressureSource memoryPressureSource = new HeapThresholdSource();
    private boolean closeOnShutdown;
    private int evictionMemorySize = DEFAULT_EVICTION_MEMORY_SIZE;
    private Duration evictionMemoryWindow = Duration.ofMinutes(10);
    private Duration reconnectBackoff = Duration.ofSeconds(30);
    private boolean restoreStateOnReconnect;

    private Builder() {}

    /** The count a round trims down to; positive and at most high water. */
    public Builder lowWater(int lowWater) {
      if (lowWater <= 0) {
        throw new IllegalArgumentException("lowWater must be positive, was " + lowWater);
      }
      this.lowWater = lowWater;
      return this;
    }

    /** The count above which automatic rounds run; at least low water. */
    public Builder highWater(int highWater) {
      if (highWater <= 0) {
        throw new IllegalArgumentException("highWater must be positive, was " + highWater);
      }
      this.highWater = highWater;
      return this;
    }

    /**
     * How long a new connection is no candidate; default 20 s, at most {@link
     * Bounds#GRACE_PERIOD_MAX}.
     */
    public Builder gracePeriod(Duration gracePeriod) {
      this.gracePeriod = atMost(gracePeriod, "gracePeriod", Bounds.GRACE_PERIOD_MAX);
      return this;
    }

    /**
     * The least time between automatic rounds; default 10 s, at most {@link
     * Bounds#SILENCE_PERIOD_MAX}.
     */
    public Builder silencePeriod(Duration silencePeriod) {
      this.silencePeriod = atMost(silencePeriod, "silencePeriod", Bounds.SILENCE_PERIOD_MAX);
      return this;
    }

    /** The source of time; tests give a manual one. Default: the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The period of background upkeep ({@link #maintain()}); zero for no background thread,
     * otherwise in [{@link Bounds#MAINTENANCE_INTERVAL_MIN}, {@link
     * Bounds#MAINTENANCE_INTERVAL_MAX}]. Default 1 s.
     */
    public Builder maintenanceInterval(Duration maintenanceInterval) {
      this.maintenanceInterval = Objects.requireNonNull(maintenanceInterval,
          "maintenanceInterval must not be null").isZero() ? Duration.ZERO
          : Bounds.check("maintenanceInterval", maintenanceInterval,
              Bounds.MAINTENANCE_INTERVAL_MIN, Bounds.MAINTENANCE_INTERVAL_MAX);
      return this;
    }

    /** How many eviction records to keep; default 1000. */
    public Builder historySize(int historySize) {
      if (historySize < 0) {
        throw new IllegalArgumentException("historySize must not be negative, was " + historySize);
      }
      this.historySize = historySize;
      return this;
    }

    /**
     * How many round reports {@link ConnectionManager#stats()} keeps, in [0, {@value
     * Bounds#ROUND_HISTORY_SIZE_MAX}]; default {@value #DEFAULT_ROUND_HISTORY_SIZE}.
     */
    public Builder roundHistorySize(int roundHistorySize) {
      if (roundHistorySize < 0 || roundHistorySize > Bounds.ROUND_HISTORY_SIZE_MAX) {
        throw new IllegalArgumentException("roundHistorySize must be in [0, "
            + Bounds.ROUND_HISTORY_SIZE_MAX + "], was " + roundHistorySize);
      }
      this.roundHistorySize = roundHistorySize;
      return this;
    }

    /**
     * The cap on one lease and on each extension; default 2 min, at most {@link
     * Bounds#MAX_LEASE_MAX}.
     */
    public Builder maxLease(Duration maxLease) {
      this.maxLease = positiveAtMost(maxLease, "maxLease", Bounds.MAX_LEASE_MAX);
      return this;
    }

    /**
     * The cap on a lease's whole life, extensions included; default 10 min, at most {@link
     * Bounds#MAX_LEASE_LIFETIME_MAX}.
     */
    public Builder maxLeaseLifetime(Duration maxLeaseLifetime) {
      this.maxLeaseLifetime = positiveAtMost(maxLeaseLifetime, "maxLeaseLifetime",
          Bounds.MAX_LEASE_LIFETIME_MAX);
      return this;
    }

    /**
     * The time one scorer call may take before it is not waited for; default 500 ms, which a
     * scorer's first, cold call (class loading, interpreted code, a GC pause, on a loaded
     * machine) stays within (docs/core.md has the measurement), and which a hung scorer costs a
     * round once (it is not called again until its call returns). A call past the budget leaves
     * its connection with its last KEEP, or behind every connection whose score is known. At most
     * {@link Bounds#SCORER_BUDGET_MAX}.
     */
    public Builder scorerBudget(Duration scorerBudget) {
      this.scorerBudget = positiveAtMost(scorerBudget, "scorerBudget", Bounds.SCORER_BUDGET_MAX);
      return this;
    }

    /**
     * How long a round waits for one closer, veto or lease listener call before it stops there and
     * returns (its report names the callback; the round does nothing more, and the callback is
     * not called again until it returns). Also the wait for a free callback thread, and for each
     * closer in {@link ConnectionManager#evict}, {@code closeAll} and shutdown. Default 1 s, at
     * most {@link Bounds#CALLBACK_BUDGET_MAX}.
     */
    public Builder callbackBudget(Duration callbackBudget) {
      this.callbackBudget = positiveAtMost(callbackBudget, "callbackBudget",
          Bounds.CALLBACK_BUDGET_MAX);
      return this;
    }

    /** The weight of the scorer registered under {@code name}; 0 to 1000, default 1. */
    public Builder scorerWeight(String name, double weight) {
      checkName(name, "scorer name");
      if (!(weight >= 0 && weight <= 1000)) {
        throw new IllegalArgumentException(
            "weight of scorer '" + name + "' must be in [0, 1000], was " + weight);
      }
      scorerWeights.put(name, weight);
      return this;
    }

    /**
     * A hard cap on open connections, checked when one opens; must be above high water. At the
     * cap an inbound connection displaces the lowest-scoring evictable connection if that one
     * scores below the newcomer's peer, and is refused otherwise. Default: no cap.
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections <= 0) {
        throw new IllegalArgumentException(
            "maxConnections must be positive, was " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /** A cap on one peer's connections. Default: no cap. */
    public Builder maxConnectionsPerPeer(int maxConnectionsPerPeer) {
      if (maxConnectionsPerPeer <= 0) {
        throw new IllegalArgumentException(
            "maxConnectionsPerPeer must be positive, was " + maxConnectionsPerPeer);
      }
      this.maxConnectionsPerPeer = maxConnectionsPerPeer;
      return this;
    }

    /**
     * The share of the total cap (or of high water, without one) that inbound connections may
     * take, in (0, 1]. Default: no cap.
     */
    public Builder maxInboundShare(double maxInboundShare) {
      if (!(maxInboundShare > 0 && maxInboundShare <= 1)) {
        throw new IllegalArgumentException(
            "maxInboundShare must be in (0, 1], was " + maxInboundShare);
      }
      this.maxInboundShare = maxInboundShare;
      return this;
    }

    /**
     * Peers that bypass the caps (as pinned peers do).
     *
     * @throws IllegalArgumentException if an id is unverified: a client could claim it
     */
    public Builder allow(PeerId... peers) {
      Objects.requireNonNull(peers, "peers");
      for (PeerId peer : peers) {
        allow.add(requireVerified(Objects.requireNonNull(peer, "allowed peer"), "allowed"));
      }
      return this;
    }

    /** Peers whose connections are always refused. */
    public Builder deny(PeerId... peers) {
      Objects.requireNonNull(peers, "peers");
      for (PeerId peer : peers) {
        deny.add(Objects.requireNonNull(peer, "denied peer"));
      }
      return this;
    }

    /**
     * Runs an emergency round when heap usage after a collection crosses this fraction of the
     * maximum, in (0, 1). Default: off.
     */
    public Builder emergencyHeapThreshold(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException(
            "emergencyHeapThreshold must be in (0, 1), was " + fraction);
      }
      this.emergencyHeapThreshold = fraction;
      return this;
    }

    /** What reports heap pressure; default {@link HeapThresholdSource}. */
    public Builder memoryPressureSource(MemoryPressureSource source) {
      this.memoryPressureSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Whether {@link ConnectionManager#close()} closes every connection. Default false. */
    public Builder closeOnShutdown(boolean closeOnShutdown) {
      this.closeOnShutdown = closeOnShutdown;
      return this;
    }

    /**
     * How many recently evicted peers the manager remembers, at most {@value
     * Bounds#EVICTION_MEMORY_SIZE_MAX}; 0 turns the memory off. Default {@value
     * #DEFAULT_EVICTION_MEMORY_SIZE}. A remembered peer that reconnects gets no grace period, and
     * while its {@linkplain #reconnectBackoff backoff} runs an inbound connection from it is
     * refused ({@link AdmissionLimit#RECENTLY_EVICTED}) when the count is at or above high water;
     * pinned, allowed and protected peers are never refused for this. When full, the peer evicted
     * longest ago is forgotten first.
     */
    public Builder evictionMemorySize(int size) {
      if (size < 0 || size > Bounds.EVICTION_MEMORY_SIZE_MAX) {
        throw new IllegalArgumentException("evictionMemorySize must be in [0, "
            + Bounds.EVICTION_MEMORY_SIZE_MAX + "], was " + size);
      }
      this.evictionMemorySize = size;
      return this;
    }

    /**
     * How long a peer is remembered after its last eviction; positive, at most {@link
     * Bounds#EVICTION_MEMORY_WINDOW_MAX} (a day). Default 10 min.
     */
    public Builder evictionMemoryWindow(Duration window) {
      this.evictionMemoryWindow = positiveAtMost(window, "evictionMemoryWindow",
          Bounds.EVICTION_MEMORY_WINDOW_MAX);
      return this;
    }

    /**
     * The reconnect backoff a peer's first eviction earns; each further eviction while the peer is
     * remembered doubles it, never beyond the {@linkplain #evictionMemoryWindow window}. Positive,
     * at most the window. Default 30 s.
     */
    public Builder reconnectBackoff(Duration firstBackoff) {
      this.reconnectBackoff = positiveAtMost(firstBackoff, "reconnectBackoff",
          Bounds.EVICTION_MEMORY_WINDOW_MAX);
      return this;
    }

    /**
     * Whether a remembered peer that reconnects with no connection open gets back the tags (plain
     * and decaying) and typed peer state it had at its last eviction; what it carries by then
     * wins. Off by default: state the application left on an evicted peer is usually stale.
     */
    public Builder restoreStateOnReconnect(boolean restore) {
      this.restoreStateOnReconnect = restore;
      return this;
    }

    /**
     * Builds the manager and starts its background upkeep.
     *
     * @throws IllegalArgumentException if low water is above high water, or the maximum lease
     *     lifetime is shorter than the maximum lease, or the connection cap is not above high
     *     water, or a peer is both allowed and denied, or the reconnect backoff is longer than
     *     the eviction memory's window
     */
    public ConnectionManager build() {
      if (maxConnections > 0 && maxConnections <= highWater) {
        throw new IllegalArgumentException("maxConnections (" + maxConnections
            + ") must be above highWater (" + highWater + ")");
      }
      for (PeerId peer : allow) {
        if (deny.contains(peer)) {
          throw new IllegalArgumentException("peer " + peer + " is both allowed and denied");
        }
      }
      int inboundCap = maxInboundShare == 0 ? 0
          : (int) Math.ceil(maxInboundShare * (maxConnections > 0 ? maxConnections : highWater));
      if (lowWater > highWater) {
        throw new IllegalArgumentException(
            "lowWater (" + lowWater + ") must not be above highWater (" + highWater + ")");
      }
      if (maxLeaseLifetime.compareTo(maxLease) < 0) {
        throw new IllegalArgumentException("maxLeaseLifetime (" + maxLeaseLifetime
            + ") must not be shorter than maxLease (" + maxLease + ")");
      }
      if (reconnectBackoff.compareTo(evictionMemoryWindow) > 0) {
        throw new IllegalArgumentException("reconnectBackoff (" + reconnectBackoff
            + ") must not be longer than evictionMemoryWindow (" + evictionMemoryWindow + ")");
      }
      return new ConnectionManager(ManagerComponents.assemble(new ManagerSettings(lowWater,
          highWater, gracePeriod, silencePeriod, clock, maintenanceInterval, historySize, maxLease,
          maxLeaseLifetime, scorerBudget, callbackBudget, scorerWeights,
          new AdmissionSettings(maxConnections, maxConnectionsPerPeer, inboundCap, allow, deny),
          emergencyHeapThreshold, memoryPressureSource, closeOnShutdown,
          new EvictionMemorySettings(evictionMemorySize, evictionMemoryWindow, reconnectBackoff,
              restoreStateOnReconnect), roundHistorySize)));
    }
  }
}
