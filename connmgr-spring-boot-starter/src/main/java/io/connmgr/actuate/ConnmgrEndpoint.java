package io.connmgr.actuate;

import io.connmgr.ConnectionManager;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.SkipReason;
import io.connmgr.StreamView;
import io.connmgr.TrimReport;
import io.connmgr.audit.AuditEntry;
import io.connmgr.audit.Operator;
import io.connmgr.audit.OperatorAction;
import io.connmgr.audit.OperatorActions;
import io.connmgr.inspect.Assessment;
import io.connmgr.inspect.ConnectionScore;
import io.connmgr.inspect.ConnectionSnapshot;
import io.connmgr.inspect.LeaseInfo;
import io.connmgr.inspect.ManagerStats;
import io.connmgr.inspect.PeerSnapshot;
import io.connmgr.inspect.RecentEviction;
import io.connmgr.inspect.ScorerInfo;
import io.connmgr.inspect.Snapshot;
import io.connmgr.inspect.VetoInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code connmgr} endpoint: a summary of the manager (counts, watermarks, the last round, the
 * connections a round would close first with their score breakdowns, recent evictions), one peer in
 * full, the audit trail of operator actions, and the operator's actions: trim, and pin, unpin or
 * evict a peer. Access is read-only unless the application opts in with {@code
 * management.endpoint.connmgr.access=unrestricted}, as Spring Boot does for its own destructive
 * endpoints; even then, with Spring Security present, every write needs the admin role ({@link
 * WriteAccess}). Every write, carried out or refused, is on the {@link
 * io.connmgr.audit.AuditTrail}.
 *
 * <p>Over HTTP, {@link ConnmgrEndpointWebExtension} answers bad input with 400 and unknown peers
 * with 404; here bad input raises {@link InvalidEndpointRequestException} and an unknown peer reads
 * as null.
 */
@Endpoint(id = ConnmgrEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class ConnmgrEndpoint {

  /** The endpoint's id, and its path under the actuator's base path. */
  public static final String ID = "connmgr";

  /** The largest write body accepted over HTTP, in bytes (4 KiB); larger ones get 413. */
  public static final int MAX_BODY_BYTES = 4096;

  /** How many lowest-scoring connections the summary lists. */
  public static final int LOWEST = 20;

  /** How many eviction records the summary lists. */
  public static final int RECENT_EVICTIONS = 20;

  /** The selector that reads the audit trail instead of a peer: {@value}. */
  public static final String AUDIT = "audit";

  private static final String INVALID_TARGET = "an invalid peer id";

  private final ConnectionManager manager;
  private final OperatorActions actions;
  private final WriteAccess access;
  private final SharedAssessment assessment;

  /**
   * An endpoint over {@code manager}, acting through {@code actions}, writes checked by {@code
   * access}.
   */
  public ConnmgrEndpoint(ConnectionManager manager, OperatorActions actions, WriteAccess access) {
    this(manager, actions, access, System::nanoTime);
  }

  /** As the public constructor, the age of a shared assessment read from {@code nanoTime}. */
  ConnmgrEndpoint(
      ConnectionManager manager,
      OperatorActions actions,
      WriteAccess access,
      LongSupplier nanoTime) {
    this.manager = manager;
    this.actions = actions;
    this.access = access;
    this.assessment = new SharedAssessment(() -> manager.inspect().assess(), nanoTime);
  }

  /** The summary. */
  @ReadOperation
  public SummaryDescriptor summary() {
    ManagerStats info = manager.stats();
    List<ScoreDescriptor> lowest =
        manager.isClosed()
            ? List.of()
            : assessment.get().lowest(LOWEST).stream().map(ScoreDescriptor::of).toList();
    List<EvictionDescriptor> evictions =
        manager.inspect().evictionHistory().stream()
            .limit(RECENT_EVICTIONS)
            .map(EvictionDescriptor::of)
            .toList();
    return new SummaryDescriptor(
        new CountsDescriptor(
            info.connectionCount(),
            info.inbound(),
            info.outbound(),
            info.peerCount(),
            info.streamCount(),
            info.protectedPeers(),
            info.activeLeases()),
        new WatermarksDescriptor(
            info.lowWater(),
            info.highWater(),
            info.gracePeriod().toString(),
            info.silencePeriod().toString()),
        info.lastReport().map(RoundDescriptor::of).orElse(null),
        lowest,
        evictions,
        manager.inspect().scorers().stream().map(ScorerDescriptor::of).toList(),
        manager.inspect().vetoes().stream().map(VetoDescriptor::of).toList(),
        refusals());
  }

  private Map<String, Long> refusals() {
    Map<String, Long> refusals = new LinkedHashMap<>();
    manager.stats().refusals().forEach((limit, n) -> refusals.put(lower(limit), n));
    return refusals;
  }

  /**
   * One peer in full, null if the manager does not know it; {@value #AUDIT} reads the audit trail
   * instead.
   */
  @ReadOperation
  public @Nullable Object peer(@Selector String peer) {
    if (AUDIT.equals(peer)) {
      return audit();
    }
    return peerDetail(parse(peer)).orElse(null);
  }

  /** The operator actions on record, newest first. */
  public AuditDescriptor audit() {
    return new AuditDescriptor(
        actions.trail().size(),
        actions.trail().entries().stream().map(AuditEntryDescriptor::of).toList());
  }

  /** Runs the operator's action on the manager: {@code trim}. */
  @WriteOperation
  public RoundDescriptor trim(SecurityContext securityContext, @Nullable String action) {
    Operator who = authorize(securityContext, action, TRIM_ACTIONS, OperatorActions.MANAGER);
    checkAction(action, TRIM_ACTIONS);
    try {
      return RoundDescriptor.of(actions.trim(who));
    } finally {
      assessment.forget();
    }
  }

  /** Runs the operator's action on a peer: {@code pin}, {@code unpin} or {@code evict}. */
  @WriteOperation
  public @Nullable PeerActionDescriptor peerAction(
      SecurityContext securityContext, @Selector String peer, @Nullable String action) {
    Operator who = authorize(securityContext, action, PEER_ACTIONS, peer);
    PeerId id = parse(peer);
    try {
      return act(who, id, checkAction(action, PEER_ACTIONS)).orElse(null);
    } finally {
      assessment.forget();
    }
  }

  /**
   * The operator of a write request, after {@link WriteAccess} let it through; a refusal of a
   * well-formed action is put on the audit trail.
   */
  Operator authorize(
      SecurityContext context, @Nullable String action, List<String> allowed, String target) {
    try {
      return access.authorize(context);
    } catch (WriteAccess.WriteAccessDeniedException e) {
      if (action != null && allowed.contains(action.trim().toLowerCase(Locale.ROOT))) {
        actions.refused(
            e.operator(),
            OperatorAction.valueOf(action.trim().toUpperCase(Locale.ROOT)),
            recordable(target),
            "refused: " + e.getMessage());
      }
      throw e;
    }
  }

  /**
   * The target as recorded for a refusal, which runs before the path is parsed: a valid peer id (or
   * {@link OperatorActions#MANAGER}) as it is, anything else, whatever its length or characters, as
   * {@value #INVALID_TARGET}.
   */
  private static String recordable(String target) {
    return PeerId.isValid(target) ? target : INVALID_TARGET;
  }

  /** The reason recorded for an eviction through this endpoint. */
  static String evictReason(Operator who) {
    return "evicted by " + who.name() + " through the connmgr endpoint";
  }

  /** The actions on the manager. */
  static final List<String> TRIM_ACTIONS = List.of("trim");

  /** The actions on a peer. */
  static final List<String> PEER_ACTIONS = List.of("pin", "unpin", "evict");

  /**
   * Checks an action against the allowed ones.
   *
   * @throws InvalidEndpointRequestException with a message naming the allowed actions
   */
  static String checkAction(@Nullable String action, List<String> allowed) {
    if (action == null || action.isBlank()) {
      throw new InvalidEndpointRequestException(
          "missing \"action\" in the JSON body; expected one of " + allowed, "missing action");
    }
    String normalized = action.trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(normalized)) {
      throw new InvalidEndpointRequestException(
          "unknown action \"" + action + "\"; expected one of " + allowed, "unknown action");
    }
    return normalized;
  }

  /**
   * Parses a peer id from the path.
   *
   * @throws InvalidEndpointRequestException with the reason the id is invalid
   */
  static PeerId parse(String peer) {
    try {
      return PeerId.of(peer);
    } catch (RuntimeException e) {
      throw new InvalidEndpointRequestException(
          "invalid peer id: " + e.getMessage(), "invalid peer id");
    }
  }

  /**
   * The peer's detail, if the manager knows it: as an entry, or only from the memory of its recent
   * eviction.
   */
  Optional<PeerDescriptor> peerDetail(PeerId id) {
    Snapshot snapshot = manager.inspect().snapshot();
    Optional<PeerSnapshot> found = snapshot.peer(id);
    RecentEvictionDescriptor recent =
        manager.inspect().recentEviction(id).map(RecentEvictionDescriptor::of).orElse(null);
    if (found.isEmpty()) {
      return recent == null
          ? Optional.empty()
          : Optional.of(
              new PeerDescriptor(
                  id.value(),
                  null,
                  0,
                  Map.of(),
                  new TreeSet<>(manager.protections().getOrDefault(id, Set.of())),
                  manager.isProtected(id, ConnectionManager.PIN_TAG),
                  false,
                  List.of(),
                  recent));
    }
    PeerSnapshot peer = found.get();
    Assessment assessed =
        manager.isClosed() || peer.connections().isEmpty() ? null : assessment.get();
    Map<Long, ScoreDescriptor> scores = new HashMap<>();
    if (assessed != null) {
      for (ConnectionScore s : assessed.connections()) {
        scores.put(s.connectionId(), ScoreDescriptor.of(s));
      }
    }
    List<ConnectionDescriptor> connections = new ArrayList<>();
    for (ConnectionSnapshot c : peer.connections()) {
      ScoreDescriptor score = scores.get(c.id());
      connections.add(ConnectionDescriptor.of(c, snapshot.takenAt(), score));
    }
    return Optional.of(
        new PeerDescriptor(
            id.value(),
            peer.firstSeen().toString(),
            peer.tagValue(),
            new LinkedHashMap<>(peer.tags()),
            new TreeSet<>(peer.protections()),
            peer.protections().contains(ConnectionManager.PIN_TAG),
            peer.connections().isEmpty(),
            connections,
            recent));
  }

  /**
   * Runs a checked peer action; empty if it needs a known peer and the manager has none.
   *
   * @throws IllegalArgumentException to pin an unverified id
   */
  Optional<PeerActionDescriptor> act(Operator who, PeerId id, String action) {
    switch (action) {
      case "pin" -> {
        actions.pin(who, id);
        return Optional.of(result(id, action, 0));
      }
      case "unpin" -> {
        actions.unpin(who, id);
        return Optional.of(result(id, action, 0));
      }
      case "evict" -> {
        OptionalInt evicted = actions.evictPeer(who, id, evictReason(who));
        return evicted.isPresent()
            ? Optional.of(result(id, action, evicted.getAsInt()))
            : Optional.empty();
      }
      default ->
          throw new InvalidEndpointRequestException(
              "unknown action \"" + action + "\"; expected one of " + PEER_ACTIONS,
              "unknown action");
    }
  }

  private PeerActionDescriptor result(PeerId id, String action, int evicted) {
    return new PeerActionDescriptor(
        id.value(),
        action,
        manager.isProtected(id, ConnectionManager.PIN_TAG),
        manager.isProtected(id, null),
        evicted);
  }

  /**
   * The summary.
   *
   * @param counts what the manager holds now
   * @param watermarks the watermarks and periods
   * @param lastRound the last round's report; null before the first round
   * @param lowest the connections a round would close first, with their score breakdowns
   * @param recentEvictions the last evictions, newest first
   * @param scorers each registered scorer with its cumulative statistics
   * @param vetoes each registered veto with its record
   * @param refusals new connections refused so far, by hard limit
   */
  public record SummaryDescriptor(
      CountsDescriptor counts,
      WatermarksDescriptor watermarks,
      @Nullable RoundDescriptor lastRound,
      List<ScoreDescriptor> lowest,
      List<EvictionDescriptor> recentEvictions,
      List<ScorerDescriptor> scorers,
      List<VetoDescriptor> vetoes,
      Map<String, Long> refusals) {}

  /**
   * What the manager holds.
   *
   * @param connections open connections
   * @param inbound open inbound connections
   * @param outbound open outbound connections
   * @param peers peers tracked, temporary entries included
   * @param streams open streams
   * @param protectedPeers peers protected under at least one tag
   * @param activeLeases leases neither released nor elapsed
   */
  public record CountsDescriptor(
      int connections,
      int inbound,
      int outbound,
      int peers,
      int streams,
      int protectedPeers,
      int activeLeases) {}

  /**
   * The watermarks.
   *
   * @param low the count a round trims down to
   * @param high the count above which automatic rounds run
   * @param gracePeriod ISO-8601 duration a new connection is no candidate
   * @param silencePeriod ISO-8601 least time between automatic rounds
   */
  public record WatermarksDescriptor(int low, int high, String gracePeriod, String silencePeriod) {}

  /**
   * One round's report.
   *
   * @param trigger what started it
   * @param startedAt when
   * @param took ISO-8601 duration it ran
   * @param target connections it set out to close
   * @param connectionsBefore open connections when it started
   * @param evicted connections it closed
   * @param reachedTarget whether it closed as many as it set out to
   * @param heldBack how many connections each reason held back
   * @param vetoes how many candidates each veto vetoed
   * @param shortfall the closes it did not make, by cause; with evicted they sum to target
   * @param stalledOn the callback it stopped waiting for; null when it finished
   * @param summary one line for an operator
   */
  public record RoundDescriptor(
      String trigger,
      String startedAt,
      String took,
      int target,
      int connectionsBefore,
      int evicted,
      boolean reachedTarget,
      Map<String, Integer> heldBack,
      Map<String, Integer> vetoes,
      Map<String, Integer> shortfall,
      @Nullable String stalledOn,
      String summary) {

    static RoundDescriptor of(TrimReport r) {
      Map<String, Integer> held = new LinkedHashMap<>();
      r.skipped().forEach((reason, n) -> held.put(lower(reason), n));
      Map<String, Integer> shortfall = new LinkedHashMap<>();
      r.shortfall().forEach((cause, n) -> shortfall.put(lower(cause), n));
      return new RoundDescriptor(
          lower(r.trigger()),
          r.startedAt().toString(),
          r.took().toString(),
          r.target(),
          r.connectionsBefore(),
          r.evicted().size(),
          r.reachedTarget(),
          held,
          new LinkedHashMap<>(r.vetoes()),
          shortfall,
          r.stalledOn(),
          r.summary());
    }
  }

  /**
   * A connection's score as a round would compute it now.
   *
   * @param connectionId the connection
   * @param peer its peer
   * @param direction inbound or outbound
   * @param score the total
   * @param heldBack why a round would not close it; null for a candidate
   * @param breakdown the parts: {@code tag:NAME} and {@code scorer:NAME}
   */
  public record ScoreDescriptor(
      long connectionId,
      String peer,
      String direction,
      double score,
      @Nullable String heldBack,
      Map<String, Double> breakdown) {

    static ScoreDescriptor of(ConnectionScore s) {
      SkipReason held = s.heldBack();
      return new ScoreDescriptor(
          s.connectionId(),
          s.peer().value(),
          lower(s.direction()),
          s.score(),
          held == null ? null : lower(held),
          s.breakdown());
    }
  }

  /**
   * One eviction.
   *
   * @param at when
   * @param connectionId the connection closed
   * @param peer its peer
   * @param direction inbound or outbound
   * @param trigger what started it
   * @param reason a sentence for an operator
   * @param score its score then
   * @param breakdown the score's parts
   */
  public record EvictionDescriptor(
      String at,
      long connectionId,
      String peer,
      String direction,
      String trigger,
      String reason,
      double score,
      Map<String, Double> breakdown) {

    static EvictionDescriptor of(EvictionRecord r) {
      return new EvictionDescriptor(
          r.at().toString(),
          r.connectionId(),
          r.peer().value(),
          lower(r.direction()),
          lower(r.trigger()),
          r.reason(),
          r.score(),
          r.breakdown());
    }
  }

  /**
   * A scorer and its cumulative statistics.
   *
   * @param name the name it is registered under
   * @param kind peer, connection or stream
   * @param protocol a stream scorer's protocol; null for the others
   * @param weight its weight
   * @param calls calls made
   * @param meanTime ISO-8601 mean call time
   * @param maxTime ISO-8601 longest call
   * @param errors calls that threw
   * @param timeouts calls past the budget
   * @param clamped results clamped into range
   */
  public record ScorerDescriptor(
      String name,
      String kind,
      @Nullable String protocol,
      double weight,
      long calls,
      String meanTime,
      String maxTime,
      long errors,
      long timeouts,
      long clamped) {

    static ScorerDescriptor of(ScorerInfo s) {
      return new ScorerDescriptor(
          s.name(),
          lower(s.kind()),
          s.protocol(),
          s.weight(),
          s.calls(),
          s.meanTime().toString(),
          s.maxTime().toString(),
          s.errors(),
          s.timeouts(),
          s.clamped());
    }
  }

  /**
   * A veto and its record.
   *
   * @param name the name it is registered under
   * @param reviews candidates reviewed
   * @param vetoes candidates vetoed
   * @param errors reviews that threw
   */
  public record VetoDescriptor(String name, long reviews, long vetoes, long errors) {

    static VetoDescriptor of(VetoInfo v) {
      return new VetoDescriptor(v.name(), v.reviews(), v.vetoes(), v.errors());
    }
  }

  /**
   * One peer in full.
   *
   * @param id the peer id
   * @param firstSeen when the manager first heard of it; null for a peer it knows only from the
   *     memory of its eviction
   * @param tagValue the sum of its tag weights
   * @param tags its tags
   * @param protections the tags it is protected under
   * @param pinned whether it is pinned ({@code connmgr:pinned})
   * @param temporary whether it is a temporary entry (tagged, no connection)
   * @param connections its open connections
   * @param recentEviction what the manager remembers of its recent eviction; null if nothing
   */
  public record PeerDescriptor(
      String id,
      @Nullable String firstSeen,
      int tagValue,
      Map<String, Integer> tags,
      Set<String> protections,
      boolean pinned,
      boolean temporary,
      List<ConnectionDescriptor> connections,
      @Nullable RecentEvictionDescriptor recentEviction) {}

  /**
   * What the manager remembers of a peer it evicted recently.
   *
   * @param lastEvictedAt when it was last evicted
   * @param timesEvicted how many times it was evicted while remembered
   * @param backoff ISO-8601 reconnect backoff its last eviction earned
   * @param backoffLeft ISO-8601 time left of that backoff; zero once over
   * @param forgottenIn ISO-8601 time until the manager forgets it
   */
  public record RecentEvictionDescriptor(
      String lastEvictedAt,
      int timesEvicted,
      String backoff,
      String backoffLeft,
      String forgottenIn) {

    static RecentEvictionDescriptor of(RecentEviction r) {
      return new RecentEvictionDescriptor(
          r.lastEvictedAt().toString(),
          r.timesEvicted(),
          r.backoff().toString(),
          r.backoffLeft().toString(),
          r.forgottenIn().toString());
    }
  }

  /**
   * One connection of a peer.
   *
   * @param id the connection id
   * @param direction inbound or outbound
   * @param remoteAddress the transport's remote address
   * @param openedAt when it opened
   * @param age ISO-8601 time since it opened
   * @param score its score now with the breakdown; null if the manager is closed
   * @param streams its open streams
   * @param leases its leases, with the time left
   */
  public record ConnectionDescriptor(
      long id,
      String direction,
      String remoteAddress,
      String openedAt,
      String age,
      @Nullable ScoreDescriptor score,
      List<StreamDescriptor> streams,
      List<LeaseDescriptor> leases) {

    static ConnectionDescriptor of(
        ConnectionSnapshot c, Instant now, @Nullable ScoreDescriptor score) {
      Duration age = Duration.between(c.openedAt(), now);
      return new ConnectionDescriptor(
          c.id(),
          lower(c.direction()),
          c.remoteAddress(),
          c.openedAt().toString(),
          (age.isNegative() ? Duration.ZERO : age).toString(),
          score,
          c.streams().stream().map(StreamDescriptor::of).toList(),
          c.leases().stream().map(LeaseDescriptor::of).toList());
    }
  }

  /**
   * One stream.
   *
   * @param id the stream id
   * @param protocol its protocol
   * @param direction inbound or outbound
   * @param openedAt when it opened
   */
  public record StreamDescriptor(long id, String protocol, String direction, String openedAt) {

    static StreamDescriptor of(StreamView s) {
      return new StreamDescriptor(
          s.id(), s.protocol(), lower(s.direction()), s.openedAt().toString());
    }
  }

  /**
   * One lease.
   *
   * @param startedAt when it was taken
   * @param expiresAt when it elapses
   * @param timeLeft ISO-8601 time left; zero once elapsed
   * @param active whether it has not elapsed
   * @param streamId the stream it was taken from; null if taken on the connection
   */
  public record LeaseDescriptor(
      String startedAt,
      String expiresAt,
      String timeLeft,
      boolean active,
      @Nullable Long streamId) {

    static LeaseDescriptor of(LeaseInfo l) {
      return new LeaseDescriptor(
          l.startedAt().toString(),
          l.expiresAt().toString(),
          l.timeLeft().toString(),
          l.active(),
          l.streamId());
    }
  }

  /**
   * The audit trail.
   *
   * @param size how many entries it keeps at most
   * @param entries the entries, newest first
   */
  public record AuditDescriptor(int size, List<AuditEntryDescriptor> entries) {}

  /**
   * One operator action on record.
   *
   * @param at when
   * @param principal who
   * @param source console, actuator or api
   * @param action pin, unpin, evict or trim
   * @param target the peer, the connection, or {@code manager} for a trim
   * @param succeeded whether it was carried out
   * @param result done, failed (tried without effect) or refused
   * @param outcome what happened
   */
  public record AuditEntryDescriptor(
      String at,
      String principal,
      String source,
      String action,
      String target,
      boolean succeeded,
      String result,
      String outcome) {

    static AuditEntryDescriptor of(AuditEntry e) {
      return new AuditEntryDescriptor(
          e.at().toString(),
          e.principal(),
          lower(e.source()),
          lower(e.action()),
          e.target(),
          e.succeeded(),
          lower(e.result()),
          e.outcome());
    }
  }

  /**
   * The outcome of a peer action.
   *
   * @param peer the peer id
   * @param action the action run
   * @param pinned whether the peer is pinned now
   * @param isProtected whether any tag protects the peer now
   * @param evicted connections closed by an {@code evict}
   */
  public record PeerActionDescriptor(
      String peer, String action, boolean pinned, boolean isProtected, int evicted) {}

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
