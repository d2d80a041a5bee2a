package io.connmgr.internal;

import io.connmgr.Trigger;
import io.connmgr.TrimReport;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * When rounds run: one at a time, explicit ones joined by concurrent callers, automatic ones at
 * least a silence period apart, emergency ones at most one per silence period.
 */
public final class Rounds {

  private static final System.Logger LOG = System.getLogger(Rounds.class.getName());

  private final RoundParts parts;
  private final PeerTable table;
  private final OpenState open;
  private final AtomicReference<@Nullable CompletableFuture<TrimReport>> inFlight =
      new AtomicReference<>();
  private final AtomicLong lastEmergencyNanos = new AtomicLong(Long.MIN_VALUE);
  private final RoundHistory history;
  private volatile long lastRoundNanos = Long.MIN_VALUE;
  private volatile @Nullable TrimReport lastReport;

  Rounds(RoundParts parts, PeerTable table, OpenState open) {
    this.parts = parts;
    this.table = table;
    this.open = open;
    this.history = new RoundHistory(parts.settings().roundHistorySize());
  }

  /** An explicit round, or the one in flight; see {@link io.connmgr.ConnectionManager#trim}. */
  public TrimReport trim() {
    open.ensureOpen();
    CallbackSupervisor.ensureNotInCallback("trim()");
    TrimReport report = run(Trigger.MANUAL, true);
    if (report == null) {
      throw new IllegalStateException("unreachable: a joining trim always has a report");
    }
    return report;
  }

  /** An automatic round if above high water and the silence period has passed since the last. */
  void automatic(long nowNanos) {
    ManagerSettings settings = parts.settings();
    if (table.connectionCount() > settings.highWater()
        && (lastRoundNanos == Long.MIN_VALUE
            || nowNanos - lastRoundNanos >= settings.silencePeriod().toNanos())) {
      run(Trigger.WATERMARK, false);
    }
  }

  /**
   * An emergency round (no grace period, down to low water) unless one ran less than a silence
   * period ago; waits for a round in flight to finish first. See {@link
   * io.connmgr.ConnectionManager#emergencyTrim}.
   */
  public Optional<TrimReport> emergencyTrim() {
    open.ensureOpen();
    CallbackSupervisor.ensureNotInCallback("emergencyTrim()");
    long now = parts.clock().nanos();
    long last = lastEmergencyNanos.get();
    if (last != Long.MIN_VALUE && now - last < parts.settings().silencePeriod().toNanos()) {
      return Optional.empty();
    }
    if (!lastEmergencyNanos.compareAndSet(last, now)) {
      return Optional.empty();
    }
    TrimReport report = null;
    while (report == null) {
      CompletableFuture<TrimReport> current = inFlight.get();
      if (current != null) {
        join(current);
      }
      report = run(Trigger.EMERGENCY, false);
    }
    LOG.log(Level.WARNING, "connmgr emergency round on heap pressure: " + report.summary());
    return Optional.of(report);
  }

  /** Rounds run so far by trigger, and the last few reports. */
  RoundHistory history() {
    return history;
  }

  Optional<Instant> lastTrim() {
    long last = lastRoundNanos;
    return last == Long.MIN_VALUE ? Optional.empty() : Optional.of(Clock.toInstant(last));
  }

  Optional<TrimReport> lastReport() {
    return Optional.ofNullable(lastReport);
  }

  /** Runs a round, or joins the one in flight; null if {@code join} is false and one was. */
  private @Nullable TrimReport run(Trigger trigger, boolean join) {
    CompletableFuture<TrimReport> mine = new CompletableFuture<>();
    for (; ; ) {
      CompletableFuture<TrimReport> current = inFlight.get();
      if (current == null) {
        if (inFlight.compareAndSet(null, mine)) {
          break;
        }
      } else if (!join) {
        return null;
      } else {
        return join(current);
      }
    }
    TrimReport report;
    try {
      long now = parts.clock().nanos();
      lastRoundNanos = now;
      table.dropTemporariesSeenBefore(now - parts.settings().gracePeriod().toNanos());
      int before = table.connectionCount();
      int target = parts.closes().countNotClosing() - parts.settings().lowWater();
      report = new Round(parts, trigger, target, before, now).run();
      lastReport = report;
      history.add(report);
      mine.complete(report);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      mine.completeExceptionally(e);
      throw new IllegalStateException("round interrupted", e);
    } catch (Throwable e) { // unchecked only (precise rethrow), whatever its type
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.set(null);
    }
    TrimReport done = report;
    parts.bus().fire(ListenerEvent.ROUND, l -> l.onRound(done));
    return report;
  }

  /** Waits up to {@code nanos} for the round in flight, if any, to end; for shutdown. */
  void awaitInFlight(long nanos) {
    CompletableFuture<TrimReport> current = inFlight.get();
    if (current == null) {
      return;
    }
    try {
      current.get(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.log(Level.WARNING, "connmgr closes while a round is still running: " + e);
    }
  }

  private static TrimReport join(CompletableFuture<TrimReport> round) {
    try {
      return round.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
