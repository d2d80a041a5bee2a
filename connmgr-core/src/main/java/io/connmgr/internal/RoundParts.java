package io.connmgr.internal;

/**
 * What a round works with, handed down by the engine: the policy, the callbacks it asks, how it
 * closes, and the settings.
 */
record RoundParts(
    ManagerSettings settings,
    CandidatePolicy policy,
    ScorerRegistry scorers,
    VetoRegistry vetoes,
    LeaseQuestions leases,
    Closes closes,
    CallbackSupervisor supervisor,
    ListenerBus bus,
    Clock clock) {}
