package io.connmgr.internal;

import io.connmgr.PeerId;
import java.util.Set;

/**
 * The hard limits checked when a connection opens; 0 means no limit.
 *
 * @param maxConnections total cap, above high water
 * @param maxPerPeer cap on one peer's connections
 * @param maxInbound cap on inbound connections, from the inbound share
 * @param allow peers that bypass the caps
 * @param deny peers always refused
 */
public record AdmissionSettings(
    int maxConnections, int maxPerPeer, int maxInbound, Set<PeerId> allow, Set<PeerId> deny) {

  /** No limits at all. */
  public static final AdmissionSettings NONE = new AdmissionSettings(0, 0, 0, Set.of(), Set.of());

  /** Freezes the lists. */
  public AdmissionSettings {
    allow = Set.copyOf(allow);
    deny = Set.copyOf(deny);
  }
}
