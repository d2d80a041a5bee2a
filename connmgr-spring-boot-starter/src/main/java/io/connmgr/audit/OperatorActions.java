package io.connmgr.audit;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.TrimReport;
import io.connmgr.inspect.ConnectionSnapshot;
import io.connmgr.inspect.PeerSnapshot;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The operator's actions on a {@link ConnectionManager}, each put on the {@link AuditTrail} with
 * who did it, from where and how it went: done, failed (tried, but nothing changed: the connection
 * had gone, the peer was not pinned) or refused. The console and the actuator endpoint act only
 * through here; an application that offers operators its own way to act should too (with {@link
 * ActionSource#API}).
 *
 * <p>Only verified ids can be pinned ({@link ConnectionManager#pin}): a refused pin is on record
 * too.
 */
public final class OperatorActions {

  /** The target recorded for a trim. */
  public static final String MANAGER = "manager";

  private final ConnectionManager manager;
  private final AuditTrail trail;
  private final PinLimit pinLimit;

  /** Actions on {@code manager}, recorded on {@code trail}, pins unbounded. */
  public OperatorActions(ConnectionManager manager, AuditTrail trail) {
    this(manager, trail, PinLimit.NONE);
  }

  /**
   * Actions on {@code manager}, recorded on {@code trail}, each pin checked by {@code pinLimit}.
   */
  public OperatorActions(ConnectionManager manager, AuditTrail trail, PinLimit pinLimit) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.trail = Objects.requireNonNull(trail, "trail");
    this.pinLimit = Objects.requireNonNull(pinLimit, "pinLimit");
  }

  /** The trail the actions go to. */
  public AuditTrail trail() {
    return trail;
  }

  /**
   * Pins a peer.
   *
   * @throws IllegalArgumentException if its id is unverified
   * @throws IllegalStateException if the {@link PinLimit} refuses it
   */
  public void pin(Operator who, PeerId peer) {
    run(
        who,
        OperatorAction.PIN,
        peer.value(),
        () -> {
          pinLimit.check(peer);
          boolean connected =
              manager.inspect().tagInfo(peer).map(t -> !t.connections().isEmpty()).orElse(false);
          manager.pin(peer);
          // pin returns nothing; the value is only what the outcome says
          return new Result<>(connected, true, connected ? "pinned" : "pinned (not connected now)");
        });
  }

  /** Removes a peer's pin; returns whether other tags still protect it. */
  public boolean unpin(Operator who, PeerId peer) {
    return run(
        who,
        OperatorAction.UNPIN,
        peer.value(),
        () -> {
          boolean wasPinned = manager.isProtected(peer, ConnectionManager.PIN_TAG);
          boolean still = manager.unpin(peer);
          return new Result<>(
              still,
              wasPinned,
              (wasPinned ? "unpinned" : "was not pinned; nothing unpinned")
                  + (still ? "; other tags still protect it" : ""));
        });
  }

  /**
   * Evicts one connection, whatever protects it.
   *
   * @return false if it is not open (or its transport refused to close it)
   */
  public boolean evict(Operator who, long connectionId, String reason) {
    return run(
        who,
        OperatorAction.EVICT,
        "connection " + connectionId,
        () -> {
          boolean evicted = manager.evict(connectionId, reason);
          return new Result<>(
              evicted, evicted, evicted ? "evicted: " + reason : "not open; nothing evicted");
        });
  }

  /**
   * Evicts every connection of a peer.
   *
   * @return how many were closed; empty if the manager knows no open connection of the peer
   */
  public OptionalInt evictPeer(Operator who, PeerId peer, String reason) {
    return run(
        who,
        OperatorAction.EVICT,
        peer.value(),
        () -> {
          Optional<PeerSnapshot> found = manager.inspect().snapshot().peer(peer);
          if (found.isEmpty() || found.get().connections().isEmpty()) {
            return new Result<>(OptionalInt.empty(), false, "no open connection; nothing evicted");
          }
          int evicted = 0;
          for (ConnectionSnapshot c : found.get().connections()) {
            if (manager.evict(c.id(), reason)) {
              evicted++;
            }
          }
          return new Result<>(
              OptionalInt.of(evicted),
              evicted > 0,
              "evicted "
                  + evicted
                  + " of "
                  + found.get().connections().size()
                  + " connection(s): "
                  + reason);
        });
  }

  /** Runs a round down to low water now; the entry names the operator and the round. */
  public TrimReport trim(Operator who) {
    return run(
        who,
        OperatorAction.TRIM,
        MANAGER,
        () -> {
          TrimReport report = manager.trim();
          return new Result<>(
              report, true, "round started " + report.startedAt() + ": " + report.summary());
        });
  }

  /** Records an action refused before it ran (no access, say), so it is on record too. */
  public void refused(Operator who, OperatorAction action, String target, String why) {
    trail.record(who, action, target, AuditResult.REFUSED, why);
  }

  private <T> T run(Operator who, OperatorAction action, String target, Supplier<Result<T>> body) {
    Result<T> result;
    try {
      result = body.get();
    } catch (RuntimeException e) {
      trail.record(who, action, target, AuditResult.REFUSED, "refused: " + e.getMessage());
      throw e;
    }
    trail.record(
        who,
        action,
        target,
        result.done() ? AuditResult.DONE : AuditResult.FAILED,
        result.outcome());
    return result.value();
  }

  /** What an action returns, whether it changed anything, and the outcome on record. */
  private record Result<T>(T value, boolean done, String outcome) {}
}
