package io.connmgr.sample;

import io.connmgr.ConnectionManager;
import io.connmgr.TrimReport;
import io.connmgr.inspect.ConnectionSnapshot;
import io.connmgr.inspect.ManagerStats;
import io.connmgr.inspect.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * The {@code sample} actuator endpoint ({@code GET /actuator/sample}): what the node's protocols
 * and the swarm see, beside the starter's {@code connmgr} endpoint. It shows, and the end-to-end
 * test checks, that DHT buckets were never emptied by an eviction, that no leased bitswap transfer
 * was cut, that every eviction a peer received carried a reason, and every round.
 */
@Component
@Endpoint(id = "sample")
public class SampleEndpoint {

  private final ConnectionManager manager;
  private final Duration grace;
  private final NodeWebSocketHandler node;
  private final Swarm swarm;
  private final DhtRoutingTable dht;
  private final BitswapExchange bitswap;
  private final GossipMesh gossip;
  private final RelayService relay;
  private final IdentifyService identify;
  private final RoundLog rounds;
  private final ChurnMeter churn;

  SampleEndpoint(
      ConnectionManager manager,
      NodeWebSocketHandler node,
      Swarm swarm,
      DhtRoutingTable dht,
      BitswapExchange bitswap,
      GossipMesh gossip,
      RelayService relay,
      IdentifyService identify,
      RoundLog rounds,
      ChurnMeter churn) {
    this.manager = manager;
    this.grace = manager.stats().gracePeriod();
    this.node = node;
    this.swarm = swarm;
    this.dht = dht;
    this.bitswap = bitswap;
    this.gossip = gossip;
    this.relay = relay;
    this.identify = identify;
    this.rounds = rounds;
    this.churn = churn;
  }

  /** The report. */
  @ReadOperation
  public SampleReport report() {
    ManagerStats info = manager.stats();
    Snapshot snapshot = manager.inspect().snapshot();
    // connections that were out of their grace period when the last round started: that round
    // could close them, so they stand at low water plus what it held back, never above high
    // water; the others arrived too late for it and wait for the next round
    Instant settledBefore = info.lastTrim().map(t -> t.minus(grace)).orElse(Instant.MIN);
    int settled = 0;
    int circuits = 0;
    for (ConnectionSnapshot c : snapshot.connections()) {
      if (c.openedAt().isBefore(settledBefore)) {
        settled++;
      }
      circuits += c.state(Circuits.KEY).count();
    }
    ManagerStats stats = manager.stats();
    SwarmCounters s = swarm.counters();
    return new SampleReport(
        new NodeReport(
            snapshot.connections().size(),
            settled,
            info.lastTrim().map(Instant::toString).orElse(null),
            info.lowWater(),
            info.highWater(),
            node.evictionsSeen(),
            identify.identified()),
        new SwarmReport(
            swarm.size(),
            lower(swarm.connectedByBehaviour()),
            s.connects(),
            s.leaves(),
            s.failures(),
            s.evictions(),
            s.evictionsWithoutReason(),
            lower(s.evictionsByBehaviour()),
            s.lastEvictionReason(),
            s.refusals(),
            s.blocksSent(),
            s.transfersCancelled(),
            s.replacementsAsked()),
        new DhtReport(
            dht.peers(), dht.buckets(), dht.bucketsEmptiedByEviction(), dht.bucketsEmptiedByRace()),
        new BitswapReport(
            bitswap.started(),
            bitswap.completed(),
            bitswap.inFlight(),
            bitswap.extended(),
            bitswap.replaced(),
            bitswap.cut(),
            bitswap.startedTooLate()),
        new GossipReport(
            gossip.meshSize(), gossip.firstDeliveries(), gossip.duplicates(), gossip.rotated()),
        new RelayReport(relay.circuitsOpened(), circuits),
        new RoundsReport(
            lower(stats.rounds()),
            stats.evictions(),
            rounds.staticPeerEvictions(),
            rounds.evictionsWithoutReason(),
            stats.recentRounds().stream().map(RoundReport::of).toList()),
        churn.figures());
  }

  /**
   * The whole report.
   *
   * @param node the node's connections
   * @param swarm the swarm's side
   * @param dht the routing table
   * @param bitswap block transfers
   * @param gossip the mesh
   * @param relay circuits
   * @param rounds trim rounds and evictions
   * @param churn evictions, those of a peer evicted less than a minute before, and those of a peer
   *     scored in the top half ({@link ChurnMeter})
   */
  public record SampleReport(
      NodeReport node,
      SwarmReport swarm,
      DhtReport dht,
      BitswapReport bitswap,
      GossipReport gossip,
      RelayReport relay,
      RoundsReport rounds,
      ChurnMeter.Figures churn) {}

  /**
   * The node.
   *
   * @param connections open connections
   * @param settled of those, the ones already out of their grace period when the last round
   *     started: at most high water (unless protected and leased ones need more room); the others
   *     arrived too late for that round and may stand above high water until the next
   * @param lastRound when the last round started; null before the first
   * @param lowWater the low watermark
   * @param highWater the high watermark
   * @param evictionsSeen sessions the node saw closed with 1008
   * @param identified identify exchanges done
   */
  public record NodeReport(
      int connections,
      int settled,
      @Nullable String lastRound,
      int lowWater,
      int highWater,
      long evictionsSeen,
      long identified) {}

  /**
   * The swarm.
   *
   * @param size its peers
   * @param connected connected peers by behaviour
   * @param connects connections opened
   * @param leaves voluntary departures
   * @param failures failed attempts or connections
   * @param evictions close frames 1008 received
   * @param evictionsWithoutReason of those, without a reason
   * @param evictionsByBehaviour evictions by behaviour
   * @param lastEvictionReason the latest reason a peer was given
   * @param refusals connections a hard limit refused
   * @param blocksSent blocks sent whole
   * @param transfersCancelled transfers the node cancelled
   * @param replacementsAsked replacement providers asked for
   */
  public record SwarmReport(
      int size,
      Map<String, Integer> connected,
      long connects,
      long leaves,
      long failures,
      long evictions,
      long evictionsWithoutReason,
      Map<String, Long> evictionsByBehaviour,
      String lastEvictionReason,
      long refusals,
      long blocksSent,
      long transfersCancelled,
      long replacementsAsked) {}

  /**
   * The routing table.
   *
   * @param peers peers in it
   * @param buckets bucket to size, non-empty buckets only
   * @param bucketsEmptiedByEviction buckets an eviction emptied; the veto keeps it zero
   * @param bucketsEmptiedByRace buckets an allowed eviction emptied because the bucket changed
   *     after the veto answered: its other peer left on its own, or the closed connection joined it
   *     only then (a race with the swarm)
   */
  public record DhtReport(
      int peers,
      Map<Integer, Integer> buckets,
      long bucketsEmptiedByEviction,
      long bucketsEmptiedByRace) {}

  /**
   * Block transfers.
   *
   * @param started started
   * @param completed delivered whole
   * @param inFlight running now
   * @param extended lease extensions granted
   * @param replaced given up and asked of another provider
   * @param cut cut by an eviction although leased before the round started; must be zero
   * @param startedTooLate cut because their lease was taken after the round had started
   */
  public record BitswapReport(
      long started,
      long completed,
      int inFlight,
      long extended,
      long replaced,
      long cut,
      long startedTooLate) {}

  /**
   * The mesh.
   *
   * @param mesh peers grafted now
   * @param firstDeliveries messages seen first from a peer
   * @param duplicates messages seen again
   * @param rotated peers pruned at the end of their lease lifetime
   */
  public record GossipReport(int mesh, long firstDeliveries, long duplicates, long rotated) {}

  /**
   * Relay circuits.
   *
   * @param opened circuits opened so far
   * @param openNow circuits open now, over all connections
   */
  public record RelayReport(long opened, int openNow) {}

  /**
   * Rounds and evictions.
   *
   * @param byTrigger rounds by trigger
   * @param evictions connections the manager closed
   * @param staticPeerEvictions of those, of a static peer: must be zero
   * @param evictionsWithoutReason of those, without a reason: must be zero
   * @param recent the last rounds the manager keeps ({@code stats().recentRounds()}), newest first
   */
  public record RoundsReport(
      Map<String, Long> byTrigger,
      long evictions,
      long staticPeerEvictions,
      long evictionsWithoutReason,
      List<RoundReport> recent) {}

  /**
   * One round.
   *
   * @param trigger what started it
   * @param startedAt when
   * @param before connections when it started
   * @param target how many it set out to close
   * @param evicted how many it closed
   * @param heldBack connections held back, all reasons
   * @param shortfall the closes it did not make, by cause; with evicted, they sum to target
   * @param summary the report's one line
   */
  public record RoundReport(
      String trigger,
      String startedAt,
      int before,
      int target,
      int evicted,
      int heldBack,
      Map<String, Integer> shortfall,
      String summary) {

    static RoundReport of(TrimReport r) {
      return new RoundReport(
          r.trigger().name().toLowerCase(Locale.ROOT),
          r.startedAt().toString(),
          r.connectionsBefore(),
          r.target(),
          r.evicted().size(),
          RoundLog.heldBack(r),
          lower(r.shortfall()),
          r.summary());
    }
  }

  private static <V> Map<String, V> lower(Map<? extends Enum<?>, V> map) {
    Map<String, V> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k.name().toLowerCase(Locale.ROOT), v));
    return out;
  }
}
