package io.connmgr.sample;

import io.connmgr.PeerId;

/**
 * Where bitswap finds another provider for a block when it gives one up. A real node would look the
 * block up in the DHT and dial a provider; in the sample the swarm plays the network.
 */
@FunctionalInterface
public interface ProviderDirectory {

  /** Asks some provider other than {@code notFrom} to send block {@code cid}. */
  void findProvider(String cid, PeerId notFrom);
}
