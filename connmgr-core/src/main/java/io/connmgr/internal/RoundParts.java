package io.connmgr.internal;

/**
 * What a round works with, handed down by the engine: the policy, the callbacks it asks, how it
 * closes, the settings, and the table its vetoes may list the open connections of.
 */
record RoundParts(
    ManagerSettings settings,
    PeerTable table,
    CandidatePolicy policy,
    ScorerRegistry scorers,
    VetoRegistry vetoes,
    LeaseQuestions leases,
    Closes closes,
    CallbackSupervisor supervisor,
    ListenerBus bus,
    Clock clock) {}
