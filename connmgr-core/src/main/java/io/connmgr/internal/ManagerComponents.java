package io.connmgr.internal;

import io.connmgr.Scheduler;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The parts {@link io.connmgr.ConnectionManager} delegates to, each for one kind of call, wired
 * together once by {@link #assemble}.
 *
 * @param intake new connections
 * @param peers tags, protections and typed state on peers
 * @param registrations scorers, vetoes and listeners
 * @param rounds explicit and emergency rounds
 * @param upkeep {@code maintain()} and the background threads
 * @param operatorCloses closes an operator asks for
 * @param inspection what operators and consoles read
 * @param lifecycle the manager's end
 */
public record ManagerComponents(
    ConnectionIntake intake,
    PeerAnnotations peers,
    Registrations registrations,
    Rounds rounds,
    Upkeep upkeep,
    OperatorCloses operatorCloses,
    Inspector inspection,
    Lifecycle lifecycle) {

  /** Numbers the managers of this JVM, for their threads' names. */
  private static final AtomicInteger MANAGERS = new AtomicInteger();

  /**
   * Builds the parts and, when the settings ask for it, schedules background upkeep.
   *
   * @param executor where callbacks run; null for a bounded pool of the manager's own
   * @param scheduler what runs upkeep; null for a thread of the manager's own
   */
  public static ManagerComponents assemble(
      ManagerSettings settings, @Nullable Executor executor, @Nullable Scheduler scheduler) {
    String name = "connmgr-" + MANAGERS.incrementAndGet();
    Clock clock = new Clock(settings.clock());
    long callbackBudget = settings.callbackBudget().toNanos();
    CallbackSupervisor supervisor = new CallbackSupervisor(executor, name);
    OpenState open = new OpenState(supervisor);
    ListenerBus bus = new ListenerBus(supervisor, callbackBudget);
    Protections protections = new Protections();
    Leases leases = new Leases(clock, settings.maxLease(), settings.maxLeaseLifetime());
    ConnectionSlots slots = new ConnectionSlots();
    PeerTable table = new PeerTable(clock, leases, protections, slots);
    DecayingTags decaying = new DecayingTags(table, clock, supervisor, callbackBudget);
    ScorerRegistry scorers = new ScorerRegistry(settings.scorerWeights());
    VetoRegistry vetoes = new VetoRegistry(bus);
    LeaseQuestions leaseQuestions = new LeaseQuestions(bus);
    EvictionHistory history = new EvictionHistory(settings.historySize());
    ReturningPeers returning = new ReturningPeers(settings.evictionMemory(), table);
    Admission admission = new Admission(settings.admission(), table, protections, bus);
    Closes closes = new Closes(table, admission::release, history, returning, bus, supervisor);
    CandidatePolicy policy =
        new CandidatePolicy(
            slots, protections, settings.gracePeriod().toNanos(), table::connectionCount);
    RoundParts parts =
        new RoundParts(
            settings,
            table,
            policy,
            scorers,
            vetoes,
            leaseQuestions,
            closes,
            supervisor,
            bus,
            clock);
    Assessor assessor =
        new Assessor(policy, scorers, supervisor, settings.scorerBudget().toNanos());
    admission.displaceWith(new Displacement(parts, assessor, table));
    Rounds rounds = new Rounds(parts, table, open);
    Upkeep upkeep =
        new Upkeep(settings, scheduler, name, open, clock, decaying, leases, table, rounds);
    OperatorCloses operatorCloses = new OperatorCloses(open, table, closes, clock, callbackBudget);
    TransportSide transport = new TransportSide(open, table, leases, closes);
    Registrations registrations = new Registrations(open, scorers, vetoes, bus, leaseQuestions);
    PeerAnnotations peers = new PeerAnnotations(open, table, protections, decaying, bus);
    return new ManagerComponents(
        new ConnectionIntake(
            settings,
            clock,
            open,
            table,
            protections,
            admission,
            returning,
            closes,
            bus,
            transport),
        peers,
        registrations,
        rounds,
        upkeep,
        operatorCloses,
        new Inspector(
            open,
            settings,
            clock,
            table,
            protections,
            leases,
            rounds,
            assessor,
            history,
            returning,
            admission,
            registrations,
            peers),
        new Lifecycle(settings, open, upkeep, rounds, operatorCloses, scorers, bus, supervisor));
  }
}
