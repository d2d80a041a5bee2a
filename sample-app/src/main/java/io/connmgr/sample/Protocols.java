package io.connmgr.sample;

import java.util.List;

/** The protocol names a peer opens streams with. */
public final class Protocols {

  /** Kademlia routing: PING, FIND_NODE. */
  public static final String DHT = "dht";

  /** Block exchange: BLOCK, CHUNK, DONE, FAIL from the provider; CANCEL from the node. */
  public static final String BITSWAP = "bitswap";

  /** Pub-sub: GRAFT, PUBLISH, PRUNE. */
  public static final String GOSSIP = "gossip";

  /** Circuit relay: RESERVE, CIRCUIT_OPEN, CIRCUIT_CLOSE. */
  public static final String RELAY = "relay";

  /** Who a peer is: HELLO, answered and closed at once. */
  public static final String IDENTIFY = "identify";

  /** All of them. */
  public static final List<String> ALL = List.of(DHT, BITSWAP, GOSSIP, RELAY, IDENTIFY);

  private Protocols() {}
}
