package io.connmgr.benchmarks;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionManager;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.StreamScorer;
import io.connmgr.TrimReport;
import io.connmgr.metrics.ConnectionManagerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * W1 (and W6 with scorers): a fresh manager at N connections, low N/2, high 3N/4, grace 0, no
 * background upkeep; every peer one connection, tag {@code weight}; the first N/10 of a shuffle
 * protected. {@link #check} proves the round closed the right ones. With {@code metrics}, the
 * starter's {@link ConnectionManagerMetrics} (every meter, the score distributions included) is
 * bound to a {@link SimpleMeterRegistry}, as a service with the starter and Micrometer has it.
 */
public final class TrimWorkload {

  /** A connection's round-trip time, as a protocol would keep it in typed state. */
  public static final class Rtt {
    public int millis;
  }

  public static final AttachmentKey<Rtt> RTT = AttachmentKey.of("rtt", Rtt::new);

  /** The stream scorer's figure per open stream. */
  static final int PER_STREAM = 5;

  final int n;
  final boolean scorers;
  final PeerId[] peers;
  final int[] weights;
  final boolean[] isProtected;
  final boolean[] closed;
  final ConnectionManager cm;
  /** The starter's metrics, when the workload runs with them; else null. */
  final @Nullable ConnectionManagerMetrics metrics;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TrimReport report;
  private final Set<Long> earlierCallbackThreads;

  /** Builds the manager and opens, tags and protects everything; none of it is timed. */
  public TrimWorkload(int n, boolean scorers) {
    this(n, scorers, false);
  }

  /** As above, with the starter's metrics bound to a registry when {@code metrics}. */
  public TrimWorkload(int n, boolean scorers, boolean metrics) {
    this.n = n;
    this.scorers = scorers;
    this.peers = Fixture.peers(n);
    this.weights = Fixture.weights(n);
    this.isProtected = Fixture.protectedPeers(n);
    this.closed = new boolean[n];
    this.earlierCallbackThreads = callbackThreadIds();
    this.cm = ConnectionManager.builder()
        .lowWater(n / 2)
        .highWater(3 * n / 4)
        .gracePeriod(Duration.ZERO)
        .maintenanceInterval(Duration.ZERO)
        // a GC pause inside a scorer call must not turn it into a timeout (worth 0) and fail the
        // check; the cost of the budget watch is the same whatever the budget
        .scorerBudget(Duration.ofSeconds(10))
        .build();
    for (int i = 0; i < n; i++) {
      int index = i;
      ManagedConnection c = Fixture.connect(cm, peers[i], i, why -> closed[index] = true);
      cm.tagPeer(peers[i], "weight", weights[i]);
      if (isProtected[i]) {
        cm.protect(peers[i], "bench");
      }
      if (scorers) {
        c.state(RTT).millis = rtt(i);
      }
    }
    this.metrics = metrics ? new ConnectionManagerMetrics(cm) : null;
    if (this.metrics != null) {
      this.metrics.bindTo(registry);
    }
    if (scorers) {
      cm.registerPeerScorer("peer", peer -> peerScore(peer.id()));
      cm.registerConnectionScorer("rtt", c -> Math.min(1000, c.state(RTT).millis));
      cm.registerStreamScorer("bitswap", StreamScorer.of(Fixture.PROTOCOL, s -> PER_STREAM));
    }
  }

  static int rtt(int i) {
    return (int) (((i * 2654435761L) >>> 16) % 40);
  }

  static int peerScore(PeerId id) {
    return Math.floorMod(id.value().hashCode(), 50);
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private long cpuNanos = -1;

  /** The timed part: one round. Also takes the calling thread's CPU time for the round. */
  public TrimReport trim() {
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    report = cm.trim();
    cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuBefore;
    return report;
  }

  /**
   * The CPU time the last round took, or -1: the trimming thread's and that of this manager's
   * callback threads (where a round runs; with metrics, where its listener hears the round too),
   * whatever else the shared machine was doing (garbage collection and the JIT compiler
   * excluded). Read it before {@link #close}: it enumerates the threads, so the timed round never
   * pays for it.
   */
  public long cpuNanos() {
    if (cpuNanos < 0) {
      return -1;
    }
    long total = cpuNanos;
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith("connmgr-callback-")
          && !earlierCallbackThreads.contains(t.getThreadId())) {
        total += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
      }
    }
    return total;
  }

  /** The callback threads alive before this manager was built: other managers'. */
  private static Set<Long> callbackThreadIds() {
    Set<Long> ids = new HashSet<>();
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith("connmgr-callback-")) {
        ids.add(t.getThreadId());
      }
    }
    return ids;
  }

  /** How many connections the round must close by our counting rule: N - low water. */
  public int expectedClosed() {
    return n - n / 2;
  }

  double score(int i) {
    double s = weights[i];
    if (scorers) {
      s += peerScore(peers[i]) + rtt(i) + PER_STREAM * Fixture.streams(i);
    }
    return s;
  }

  /**
   * Fails loudly unless the round closed exactly the expected number, no protected connection,
   * and nothing scored above a connection it left open unprotected.
   */
  public void check() {
    int count = 0;
    double maxClosed = Double.NEGATIVE_INFINITY;
    double minOpen = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (closed[i]) {
        count++;
        if (isProtected[i]) {
          throw new IllegalStateException("W1 n=" + n + ": protected connection " + i + " closed");
        }
        maxClosed = Math.max(maxClosed, score(i));
      } else if (!isProtected[i]) {
        minOpen = Math.min(minOpen, score(i));
      }
    }
    if (count != expectedClosed() || report == null || report.evicted().size() != count) {
      throw new IllegalStateException("W1 n=" + n + ": closed " + count + " (report says "
          + (report == null ? "no round" : report.evicted().size()) + "), expected "
          + expectedClosed());
    }
    if (maxClosed > minOpen) {
      throw new IllegalStateException("W1 n=" + n + ": closed a connection scored " + maxClosed
          + " while one scored " + minOpen + " stays open unprotected");
    }
    if (metrics != null) {
      checkRecorded(count);
    }
    if (cm.connectionCount() != n - count) {
      throw new IllegalStateException("W1 n=" + n + ": " + cm.connectionCount() + " open, expected "
          + (n - count));
    }
  }

  /**
   * With the metrics: waits (up to a minute) until the round's scores are recorded, then fails
   * unless the distributions hold exactly the round's closed and kept connections.
   */
  private void checkRecorded(int closedCount) {
    Counter closedSeen = registry.get("connmgr.round.connections").tag("outcome", "closed")
        .counter();
    Counter keptSeen = registry.get("connmgr.round.connections").tag("outcome", "kept")
        .counter();
    // the recorder counts the closed, then the kept: wait for both
    int considered = n - protectedCount();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (closedSeen.count() + keptSeen.count() < considered
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000); // leave the cores to the recorder
    }
    double recorded = closedSeen.count() + keptSeen.count();
    if (closedSeen.count() != closedCount || recorded != considered) {
      throw new IllegalStateException("W1 n=" + n + ": the score distributions recorded "
          + closedSeen.count() + " closed of " + recorded + " considered, expected "
          + closedCount + " of " + considered + " ("
          + cm.stats().droppedListenerEvents() + " listener events dropped)");
    }
  }

  private int protectedCount() {
    int count = 0;
    for (boolean p : isProtected) {
      count += p ? 1 : 0;
    }
    return count;
  }

  public void close() {
    if (metrics != null) {
      metrics.close();
    }
    cm.close();
  }
}
