package io.connmgr;

import java.time.Instant;
import java.util.List;

/** A read-only view of one connection, as scorers, vetoes and listeners see it. */
public interface ConnectionView extends Stateful {

  /** The manager-wide id of this connection, unique for the life of the manager. */
  long id();

  PeerId peer();

  Direction direction();

  String remoteAddress();

  Instant openedAt();

  /** How many streams are open on this connection. */
  int streamCount();

  /** The open streams. */
  List<? extends StreamView> streams();
}
