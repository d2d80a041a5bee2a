package io.connmgr.sample;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code sample.*} settings: the swarm, the protocols' timings and the console login.
 *
 * @param swarm the simulated peers
 * @param bitswap block transfers and their leases
 * @param gossip the mesh and its delivery tag
 * @param admin the console login that may act
 * @param viewer the console login that may only look
 */
@ConfigurationProperties("sample")
public record SampleProperties(
    @DefaultValue Swarm swarm,
    @DefaultValue Bitswap bitswap,
    @DefaultValue Gossip gossip,
    @DefaultValue Admin admin,
    @DefaultValue Viewer viewer) {

  /**
   * The swarm of WebSocket clients the node talks to over loopback.
   *
   * @param enabled whether to start it at all
   * @param size how many peers (static peers included)
   * @param joinRate how many peers join per second while the swarm starts
   * @param tick how often each peer acts (publishes, pings, moves blocks)
   * @param churn the chance per peer per second that a connected peer leaves
   * @param rejoinMin least time a peer that left stays away
   * @param rejoinMax most time a peer that left stays away
   * @param backoffMin the first back-off of a peer the node evicted; doubled per eviction in a row
   * @param backoffMax the cap on that back-off
   * @param slowTransfer how long a slow provider takes to move one block
   */
  public record Swarm(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("400") int size,
      @DefaultValue("50") int joinRate,
      @DefaultValue("500ms") Duration tick,
      @DefaultValue("0.005") double churn,
      @DefaultValue("5s") Duration rejoinMin,
      @DefaultValue("30s") Duration rejoinMax,
      @DefaultValue("15s") Duration backoffMin,
      @DefaultValue("2m") Duration backoffMax,
      @DefaultValue("40s") Duration slowTransfer) {}

  /**
   * Bitswap block transfers.
   *
   * @param lease the lease taken for one transfer
   * @param extension how much a lease listener extends an elapsed transfer lease
   * @param maxExtensions how many times it does so before it gives the provider up
   */
  public record Bitswap(
      @DefaultValue("10s") Duration lease,
      @DefaultValue("10s") Duration extension,
      @DefaultValue("2") int maxExtensions) {}

  /**
   * The gossip mesh.
   *
   * @param meshSize how many peers the node keeps grafted (gossipsub's D)
   * @param lease the lease a grafted peer holds, extended while it stays grafted
   * @param decayInterval how often the delivery tag halves
   */
  public record Gossip(
      @DefaultValue("8") int meshSize,
      @DefaultValue("30s") Duration lease,
      @DefaultValue("10s") Duration decayInterval) {}

  /**
   * The console's admin login.
   *
   * @param username the admin user's name
   * @param password its password; generated at start-up and logged when not set
   */
  public record Admin(@DefaultValue("admin") String username, @Nullable String password) {}

  /**
   * The console's view-only login.
   *
   * @param username the viewer's name
   * @param password its password; generated at start-up and logged when not set
   */
  public record Viewer(@DefaultValue("viewer") String username, @Nullable String password) {}
}
