package io.connmgr;

import java.util.List;
import java.util.Map;

/** A read-only view of a peer, as scorers, vetoes and listeners see it. */
public interface PeerView extends Stateful {

  PeerId id();

  /** The sum of the peer's tag weights, decaying tags included. */
  int tagValue();

  /** The peer's tags and their weights, decaying tags included. */
  Map<String, Integer> tags();

  /** The peer's open connections. */
  List<? extends ConnectionView> connections();
}
