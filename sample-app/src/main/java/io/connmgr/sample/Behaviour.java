package io.connmgr.sample;

import java.util.List;
import java.util.Locale;

/** What a swarm peer does once connected; each exercises one part of the manager. */
public enum Behaviour {
  /** Says hello (identify) and then nothing: the first to go in a round. */
  IDLE,
  /** Pings and looks up nodes: enters the routing table, guarded by the bucket veto. */
  DHT,
  /** Sends blocks quickly: a useful provider, scored high by the bitswap scorer. */
  BITSWAP,
  /** Sends blocks slowly: its transfer leases elapse, get extended, then replaced. */
  SLOW_BITSWAP,
  /** Grafts into the gossip mesh and publishes: leases and a decaying delivery tag. */
  GOSSIP,
  /** Carries relay circuits: scored by the relay connection scorer. */
  RELAY,
  /** A static peer from {@code connmgr.static-peers}: pinned, never closed. */
  STABLE;

  /** The mix of a swarm, in a cycle of 20 peers: 6 idle, 5 DHT, 3+1 bitswap, 3 gossip, 2 relay. */
  static final List<Behaviour> CYCLE =
      List.of(
          IDLE,
          DHT,
          BITSWAP,
          GOSSIP,
          IDLE,
          DHT,
          RELAY,
          IDLE,
          DHT,
          BITSWAP,
          GOSSIP,
          IDLE,
          DHT,
          SLOW_BITSWAP,
          IDLE,
          DHT,
          RELAY,
          GOSSIP,
          IDLE,
          BITSWAP);

  /** The peer-id prefix: {@code slow-bitswap-3}, {@code idle-12}. */
  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
