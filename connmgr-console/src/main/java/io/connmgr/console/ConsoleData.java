package io.connmgr.console;

import io.connmgr.Assessment;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionScore;
import io.connmgr.ConnectionSnapshot;
import io.connmgr.LeaseInfo;
import io.connmgr.PeerSnapshot;
import io.connmgr.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One snapshot and one assessment of the manager, joined by connection id into flat arrays that
 * pages filter, sort and page over. Taken at most once per cache period, so many viewers and a
 * page refresh every two seconds cost one assessment per period, even at 100 000 connections.
 */
final class ConsoleData {

  private final ConnectionManager manager;
  private final long ttlNanos;
  private final Object lock = new Object();
  private volatile @Nullable View current;

  ConsoleData(ConnectionManager manager, Duration ttl) {
    this.manager = manager;
    this.ttlNanos = ttl.toNanos();
  }

  /** The cached view, or a fresh one once it is older than the cache period. */
  View view() {
    View v = current;
    if (v != null && System.nanoTime() - v.createdNanos < ttlNanos) {
      return v;
    }
    synchronized (lock) {
      v = current;
      if (v != null && System.nanoTime() - v.createdNanos < ttlNanos) {
        return v;
      }
      v = new View(manager.snapshot(), manager.assess(), System.nanoTime());
      current = v;
      return v;
    }
  }

  /** Drops the cached view, so the next page shows what an action changed. */
  void invalidate() {
    current = null;
  }

  /** A snapshot and an assessment, indexed in the snapshot's connection order. */
  static final class View {
    final Snapshot snapshot;
    final Assessment assessment;
    final long createdNanos;
    final ConnectionSnapshot[] connections;
    final String[] peerIds;
    final String[] protocols;
    final double[] scores;
    final @Nullable ConnectionScore[] scoreOf;
    final boolean[] protectedPeer;
    final long[] leaseLeftMillis;
    final long[] ageMillis;
    final int[] closingRank;

    View(Snapshot snapshot, Assessment assessment, long createdNanos) {
      this.snapshot = snapshot;
      this.assessment = assessment;
      this.createdNanos = createdNanos;
      List<ConnectionSnapshot> all = snapshot.connections();
      int n = all.size();
      connections = all.toArray(new ConnectionSnapshot[0]);
      peerIds = new String[n];
      protocols = new String[n];
      scores = new double[n];
      scoreOf = new ConnectionScore[n];
      protectedPeer = new boolean[n];
      leaseLeftMillis = new long[n];
      ageMillis = new long[n];
      closingRank = new int[n];
      Map<Long, Integer> rank = new java.util.HashMap<>(assessment.connections().size() * 2);
      List<ConnectionScore> ordered = assessment.connections();
      for (int i = 0; i < ordered.size(); i++) {
        rank.put(ordered.get(i).connectionId(), i);
      }
      Instant at = snapshot.takenAt();
      for (int i = 0; i < n; i++) {
        ConnectionSnapshot c = connections[i];
        peerIds[i] = c.peer().value();
        protocols[i] = protocolsOf(c);
        Integer r = rank.get(c.id());
        ConnectionScore s = r == null ? null : ordered.get(r);
        scoreOf[i] = s;
        scores[i] = s == null ? Double.NaN : s.score();
        closingRank[i] = r == null ? Integer.MAX_VALUE : r;
        PeerSnapshot p = snapshot.peer(c.peer()).orElse(null);
        protectedPeer[i] = p != null && !p.protections().isEmpty();
        leaseLeftMillis[i] = leaseLeft(c);
        ageMillis[i] = Math.max(0, Duration.between(c.openedAt(), at).toMillis());
      }
    }

    int size() {
      return connections.length;
    }

    Set<String> protections(int i) {
      return snapshot.peer(connections[i].peer()).map(PeerSnapshot::protections).orElse(Set.of());
    }

    private static String protocolsOf(ConnectionSnapshot c) {
      if (c.streams().isEmpty()) {
        return "";
      }
      StringBuilder b = new StringBuilder();
      for (var s : c.streams()) {
        b.append(s.protocol()).append('\n');
      }
      return b.toString();
    }

    /** The longest time left of an active lease, in millis; -1 without one. */
    private static long leaseLeft(ConnectionSnapshot c) {
      long best = -1;
      for (LeaseInfo lease : c.leases()) {
        if (lease.active()) {
          best = Math.max(best, lease.timeLeft().toMillis());
        }
      }
      return best;
    }
  }
}
