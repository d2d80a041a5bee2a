package io.connmgr.internal;

import java.time.Duration;

/**
 * The manager's end: {@link #close()} refuses further changes, waits for the round in flight,
 * closes every connection when the settings ask for it, lets the listeners hear what is queued for
 * them, and stops the threads.
 */
public final class Lifecycle {

  /** The longest {@link #close()} waits for a round in flight. */
  private static final Duration MAX_SHUTDOWN_WAIT = Duration.ofMinutes(1);

  private final ManagerSettings settings;
  private final OpenState open;
  private final Upkeep upkeep;
  private final Rounds rounds;
  private final OperatorCloses closes;
  private final ScorerRegistry scorers;
  private final ListenerBus bus;
  private final CallbackSupervisor supervisor;

  Lifecycle(
      ManagerSettings settings,
      OpenState open,
      Upkeep upkeep,
      Rounds rounds,
      OperatorCloses closes,
      ScorerRegistry scorers,
      ListenerBus bus,
      CallbackSupervisor supervisor) {
    this.settings = settings;
    this.open = open;
    this.upkeep = upkeep;
    this.rounds = rounds;
    this.closes = closes;
    this.scorers = scorers;
    this.bus = bus;
    this.supervisor = supervisor;
  }

  /** See {@link io.connmgr.ConnectionManager#isClosed}. */
  public boolean isClosed() {
    return open.isClosed();
  }

  /**
   * Refuses every further call, waits (at most {@link #shutdownWaitNanos}) for the round in flight,
   * closes every connection when the settings ask for it, lets the listeners hear what is queued
   * for them (at most a callback budget), and stops the threads.
   */
  public void close() {
    if (!open.close()) {
      return;
    }
    upkeep.stopStarting();
    rounds.awaitInFlight(shutdownWaitNanos());
    if (settings.closeOnShutdown()) {
      closes.closeEverything("the connection manager is shutting down");
    }
    upkeep.stopNow();
    bus.drain(settings.callbackBudget().toNanos());
    supervisor.shutdown();
  }

  /**
   * The longest a round can take: one scorer budget per scorer (each hung one costs one) and one
   * callback budget, with as much again for a loaded machine.
   */
  private long shutdownWaitNanos() {
    Duration round =
        settings
            .scorerBudget()
            .multipliedBy(1 + scorers.current().all().length)
            .plus(settings.callbackBudget())
            .multipliedBy(2);
    return round.compareTo(MAX_SHUTDOWN_WAIT) > 0 ? MAX_SHUTDOWN_WAIT.toNanos() : round.toNanos();
  }
}
