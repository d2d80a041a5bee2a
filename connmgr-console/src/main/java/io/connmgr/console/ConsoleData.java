package io.connmgr.console;

import io.connmgr.ConnectionManager;
import io.connmgr.inspect.Assessment;
import io.connmgr.inspect.ConnectionScore;
import io.connmgr.inspect.ConnectionSnapshot;
import io.connmgr.inspect.LeaseInfo;
import io.connmgr.inspect.PeerSnapshot;
import io.connmgr.inspect.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * One snapshot and one assessment of the manager, joined by connection id into flat arrays that
 * pages filter, sort and page over. Taken at most once per cache period, so many viewers and a page
 * refresh every two seconds cost one assessment per period, even at 100 000 connections. Once the
 * period is over, pages get the previous view at once while one background thread takes the next
 * (an assessment of 100 000 connections takes a good part of a second); a view is never served once
 * a newer one exists, and after {@link #invalidate()} the next page waits for a fresh one. A period
 * of zero takes a fresh view for every request.
 */
final class ConsoleData implements DisposableBean {

  private final ConnectionManager manager;
  private final long ttlNanos;
  private final Object lock = new Object();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final ExecutorService refresher;
  private final AtomicLong generation = new AtomicLong();
  private volatile @Nullable View current;
  private final AtomicLong lastForced;

  ConsoleData(ConnectionManager manager, Duration ttl) {
    CustomizableThreadFactory thread = new CustomizableThreadFactory("connmgr-console-refresh-");
    thread.setDaemon(true);
    this.refresher = Executors.newSingleThreadExecutor(thread);
    this.manager = manager;
    this.ttlNanos = ttl.toNanos();
    this.lastForced = new AtomicLong(System.nanoTime() - ttlNanos);
  }

  /** The cached view; a fresh one if there is none, or if the cache period is zero. */
  View view() {
    View v = current;
    if (v != null && System.nanoTime() - v.createdNanos < ttlNanos) {
      return v;
    }
    if (v != null && ttlNanos > 0) {
      if (refreshing.compareAndSet(false, true)) {
        try {
          refresher.execute(this::refreshInBackground);
        } catch (RejectedExecutionException e) {
          refreshing.set(false);
          return take(v);
        }
      }
      return v;
    }
    return take(v);
  }

  private View take(@Nullable View seen) {
    synchronized (lock) {
      View v = current;
      if (v != null && v != seen && ttlNanos > 0) {
        return v; // another request took it meanwhile
      }
      long taking = generation.get();
      v = new View(manager.inspect().snapshot(), manager.inspect().assess(), System.nanoTime());
      if (generation.get() == taking) {
        current = v; // not if an action invalidated the cache while this view was being taken
      }
      return v;
    }
  }

  private void refreshInBackground() {
    try {
      if (!manager.isClosed()) {
        take(current);
      }
    } finally {
      refreshing.set(false);
    }
  }

  /**
   * A view taken now, for a page that found something newer than the cached view (a peer that
   * connected since); at most one such refresh per cache period, since each makes every viewer wait
   * for a full snapshot and assessment: within the period, the cached view.
   */
  View refreshed() {
    long now = System.nanoTime();
    long last = lastForced.get();
    if (now - last < ttlNanos || !lastForced.compareAndSet(last, now)) {
      return view();
    }
    invalidate();
    return view();
  }

  /** Drops the cached view, so the next page shows what an action changed. */
  void invalidate() {
    generation.incrementAndGet();
    current = null;
  }

  @Override
  public void destroy() {
    refresher.shutdownNow();
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

    /** Each candidate's place in the next round's plan, from 1; 0 for a held-back connection. */
    final int[] nextRound;

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
      nextRound = new int[n];
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = connections[i].id(); // ascending: the snapshot lists connections by id
      }
      java.util.Arrays.fill(closingRank, Integer.MAX_VALUE);
      java.util.Arrays.fill(scores, Double.NaN);
      List<ConnectionScore> ordered = assessment.connections();
      for (int r = 0; r < ordered.size(); r++) {
        ConnectionScore s = ordered.get(r);
        int i = java.util.Arrays.binarySearch(ids, s.connectionId());
        if (i >= 0) {
          closingRank[i] = r;
          nextRound[i] = s.candidate() ? r + 1 : 0; // the assessment lists candidates first
          scoreOf[i] = s;
          scores[i] = s.score();
        }
      }
      for (PeerSnapshot p : snapshot.peers()) {
        if (!p.protections().isEmpty()) {
          for (ConnectionSnapshot c : p.connections()) {
            int i = java.util.Arrays.binarySearch(ids, c.id());
            if (i >= 0) {
              protectedPeer[i] = true;
            }
          }
        }
      }
      Instant at = snapshot.takenAt();
      for (int i = 0; i < n; i++) {
        ConnectionSnapshot c = connections[i];
        peerIds[i] = c.peer().value();
        protocols[i] = protocolsOf(c);
        leaseLeftMillis[i] = leaseLeft(c);
        ageMillis[i] = Math.max(0, Duration.between(c.openedAt(), at).toMillis());
      }
    }

    private volatile int @Nullable [] peerRank;

    int size() {
      return connections.length;
    }

    /** The assessed score of a connection by id; null if it was not open at both readings. */
    @Nullable ConnectionScore scoreFor(long connectionId) {
      int lo = 0;
      int hi = connections.length - 1;
      while (lo <= hi) { // the snapshot lists connections by ascending id
        int mid = (lo + hi) >>> 1;
        long id = connections[mid].id();
        if (id == connectionId) {
          return scoreOf[mid];
        }
        if (id < connectionId) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return null;
    }

    /** Each row's peer's position in peer id order; computed once per view, when first sorted. */
    int[] peerRank() {
      int[] r = peerRank;
      if (r == null) {
        Integer[] order = new Integer[peerIds.length];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparing((Integer i) -> peerIds[i]));
        r = new int[peerIds.length];
        int rank = -1;
        String last = null;
        for (Integer i : order) {
          if (!peerIds[i].equals(last)) {
            rank++;
            last = peerIds[i];
          }
          r[i] = rank;
        }
        peerRank = r;
      }
      return r;
    }

    private volatile int @Nullable [] byClosing;

    /** Every row index in closing order (rows missing from the assessment last, by id). */
    int[] byClosing() {
      int[] order = byClosing;
      if (order == null) {
        long[] packed = new long[closingRank.length];
        for (int i = 0; i < packed.length; i++) {
          packed[i] = (long) closingRank[i] << 32 | i;
        }
        java.util.Arrays.sort(packed);
        order = new int[packed.length];
        for (int j = 0; j < packed.length; j++) {
          order[j] = (int) packed[j];
        }
        byClosing = order;
      }
      return order;
    }

    /** One connection by id: a binary search, since the snapshot lists them by ascending id. */
    java.util.Optional<ConnectionSnapshot> connection(long id) {
      int lo = 0;
      int hi = connections.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        long at = connections[mid].id();
        if (at < id) {
          lo = mid + 1;
        } else if (at > id) {
          hi = mid - 1;
        } else {
          return java.util.Optional.of(connections[mid]);
        }
      }
      return java.util.Optional.empty();
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
