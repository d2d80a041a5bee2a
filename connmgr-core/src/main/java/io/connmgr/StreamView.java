package io.connmgr;

import java.time.Instant;

/** A read-only view of one stream, as scorers see it. */
public interface StreamView extends Stateful {

  /** The manager-wide id of this stream. */
  long id();

  /** The protocol name the stream was opened with. */
  String protocol();

  Direction direction();

  Instant openedAt();
}
