package io.connmgr.internal;

import io.connmgr.CloseVeto;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionScorer;
import io.connmgr.PeerScorer;
import io.connmgr.Registration;
import io.connmgr.StreamScorer;
import io.connmgr.inspect.ScorerInfo;
import io.connmgr.inspect.VetoInfo;
import java.util.List;

/**
 * The callbacks an application registers (scorers, vetoes, listeners) and what they did so far:
 * each scorer's and veto's record, the lease extensions listeners granted, the listener events
 * dropped.
 */
public final class Registrations {

  private final OpenState open;
  private final ScorerRegistry scorers;
  private final VetoRegistry vetoes;
  private final ListenerBus bus;
  private final LeaseQuestions leaseQuestions;

  Registrations(
      OpenState open,
      ScorerRegistry scorers,
      VetoRegistry vetoes,
      ListenerBus bus,
      LeaseQuestions leaseQuestions) {
    this.open = open;
    this.scorers = scorers;
    this.vetoes = vetoes;
    this.bus = bus;
    this.leaseQuestions = leaseQuestions;
  }

  /** See {@link io.connmgr.ConnectionManager#registerPeerScorer}. */
  public Registration registerPeerScorer(String name, PeerScorer scorer) {
    open.ensureOpen();
    return scorers.register(RegisteredScorer.peer(name, scorers.weightOf(name), scorer));
  }

  /** See {@link io.connmgr.ConnectionManager#registerConnectionScorer}. */
  public Registration registerConnectionScorer(String name, ConnectionScorer scorer) {
    open.ensureOpen();
    return scorers.register(RegisteredScorer.connection(name, scorers.weightOf(name), scorer));
  }

  /** See {@link io.connmgr.ConnectionManager#registerStreamScorer}. */
  public Registration registerStreamScorer(String name, StreamScorer scorer) {
    open.ensureOpen();
    return scorers.register(RegisteredScorer.stream(name, scorers.weightOf(name), scorer));
  }

  /** See {@link io.connmgr.ConnectionManager#registerVeto}. */
  public Registration registerVeto(String name, CloseVeto veto) {
    open.ensureOpen();
    return vetoes.register(name, veto);
  }

  /** See {@link io.connmgr.ConnectionManager#addListener}. */
  public Registration addListener(ConnectionManagerListener listener) {
    return bus.add(listener);
  }

  /** The registered scorers and their records. */
  List<ScorerInfo> scorerInfos() {
    return scorers.infos();
  }

  /** The registered vetoes and their records. */
  List<VetoInfo> vetoInfos() {
    return vetoes.infos();
  }

  /** Lease extensions granted by listeners when a round asked, over the manager's life. */
  long leaseExtensions() {
    return leaseQuestions.extensions();
  }

  /** Listener events dropped because their listener's queue was full. */
  long droppedListenerEvents() {
    return bus.dropped();
  }
}
