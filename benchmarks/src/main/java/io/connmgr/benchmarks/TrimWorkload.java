package io.connmgr.benchmarks;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionManager;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.StreamScorer;
import io.connmgr.TrimReport;
import io.connmgr.metrics.ConnectionManagerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * W1 (and W6 with scorers): a fresh manager at N connections, low N/2, high 3N/4, grace 0, no
 * background upkeep; every peer one connection, tag {@code weight}; the first N/10 of a shuffle
 * protected. {@link #check} proves the round closed the right ones. With {@link Meters#COUNTERS} or
 * {@link Meters#FULL}, the starter's {@link ConnectionManagerMetrics} is bound to a {@link
 * SimpleMeterRegistry}, as a service with the starter and Micrometer has it.
 */
public final class TrimWorkload {

  /** A connection's round-trip time, as a protocol would keep it in typed state. */
  public static final class Rtt {
    public int millis;
  }

  /** Which of the starter's meters the workload runs with. */
  public enum Meters {
    /** None: no listener on the manager. */
    NONE,
    /**
     * Every meter of the starter but the score distributions ({@code score-distributions=false}).
     */
    COUNTERS,
    /** Every meter of the starter, the score distributions included (the default). */
    FULL;

    /** The value of a benchmark's {@code metrics} parameter: none, counters or full. */
    public static Meters of(String param) {
      return valueOf(param.toUpperCase(Locale.ROOT));
    }
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

  /** Whether the metrics include the score distributions. */
  private final boolean distributions;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** The last round's report; null until {@link #trim} ran. */
  private @Nullable TrimReport report;

  private final Set<Long> earlierThreads;

  /** Builds the manager and opens, tags and protects everything; none of it is timed. */
  public TrimWorkload(int n, boolean scorers) {
    this(n, scorers, Meters.NONE);
  }

  /** As above, with the starter's {@code meters} bound to a registry. */
  public TrimWorkload(int n, boolean scorers, Meters meters) {
    this.n = n;
    this.scorers = scorers;
    this.peers = Fixture.peers(n);
    this.weights = Fixture.weights(n);
    this.isProtected = Fixture.protectedPeers(n);
    this.closed = new boolean[n];
    this.earlierThreads = threadIds();
    this.cm =
        ConnectionManager.builder()
            .lowWater(n / 2)
            .highWater(3 * n / 4)
            .gracePeriod(Duration.ZERO)
            .maintenanceInterval(Duration.ZERO)
            // a GC pause inside a scorer call must not turn it into a timeout (worth 0) and fail
            // the
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
    this.distributions = meters == Meters.FULL;
    this.metrics =
        meters == Meters.NONE
            ? null
            : new ConnectionManagerMetrics(cm, Tags.empty(), distributions);
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

  private long cpuBefore = -1;
  private long cpuNanos = -1;

  /**
   * Reads the calling thread's CPU time, for {@link #cpuNanos}: call it right before the timed
   * {@link #trim}, outside the timing. Two reads in the timed part cost a round of 1 000 about 18
   * µs (2 % of it) right after the fixture's two GCs.
   */
  public void startCpuClock() {
    cpuBefore = THREADS.getCurrentThreadCpuTime();
  }

  /** The timed part: one round. */
  public TrimReport trim() {
    report = cm.trim();
    return report;
  }

  /**
   * Takes the calling thread's CPU time since {@link #startCpuClock}: call it right after the timed
   * {@link #trim}, outside the timing, before anything else.
   */
  public void stopCpuClock() {
    if (cpuBefore >= 0) {
      cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuBefore;
    }
  }

  /**
   * The CPU time the last round took, or -1 without {@link #startCpuClock} and {@link
   * #stopCpuClock} around it: the trimming thread's and that of this manager's callback threads
   * (where a round runs; with metrics, where its listener hears the round too), whatever else the
   * shared machine was doing (garbage collection and the JIT compiler excluded). Read it before
   * {@link #close}: it enumerates the threads, so the timed round never pays for it.
   */
  public long cpuNanos() {
    if (cpuNanos < 0) {
      return -1;
    }
    return cpuNanos + newThreadsCpuNanos("connmgr-\\d+-callback-\\d+");
  }

  /**
   * The CPU time the score distributions' recorder took for the last round (its thread, {@code
   * connmgr-metrics-1}, records after the round and is not part of {@link #cpuNanos}), or 0 without
   * it. Read it after {@link #check}, which waits for the recording, and before {@link #close}.
   */
  public long recorderCpuNanos() {
    return newThreadsCpuNanos("connmgr-metrics-\\d+");
  }

  /** The CPU time of the threads whose names match {@code name}, started since this manager. */
  private long newThreadsCpuNanos(String name) {
    long total = 0;
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t != null
          && t.getThreadName().matches(name)
          && !earlierThreads.contains(t.getThreadId())) {
        total += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
      }
    }
    return total;
  }

  /** The line bench/results.py reads a measured round's CPU times from. */
  static void printCpu(
      String benchmark, int n, String metrics, long cpuNanos, long recorderCpuNanos) {
    System.out.println(
        "cpu-time "
            + benchmark
            + " n="
            + n
            + " metrics="
            + metrics
            + " ns="
            + cpuNanos
            + " recorder-ns="
            + recorderCpuNanos);
  }

  /** The threads alive before this manager was built: other managers' among them. */
  private static Set<Long> threadIds() {
    Set<Long> ids = new HashSet<>();
    for (long id : THREADS.getAllThreadIds()) {
      ids.add(id);
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
   * Fails loudly unless the round closed exactly the expected number, no protected connection, and
   * nothing scored above a connection it left open unprotected.
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
      throw new IllegalStateException(
          "W1 n="
              + n
              + ": closed "
              + count
              + " (report says "
              + (report == null ? "no round" : report.evicted().size())
              + "), expected "
              + expectedClosed());
    }
    if (maxClosed > minOpen) {
      throw new IllegalStateException(
          "W1 n="
              + n
              + ": closed a connection scored "
              + maxClosed
              + " while one scored "
              + minOpen
              + " stays open unprotected");
    }
    if (metrics != null) {
      checkRecorded(count);
    }
    if (cm.connectionCount() != n - count) {
      throw new IllegalStateException(
          "W1 n=" + n + ": " + cm.connectionCount() + " open, expected " + (n - count));
    }
  }

  /**
   * With the metrics: waits (up to a minute) until the listener has counted the round's evictions
   * and, with the distributions, recorded its scores, then fails unless they hold exactly the
   * round's closed (and kept) connections.
   */
  private void checkRecorded(int closedCount) {
    int considered = n - protectedCount();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!(evictionsCounted() == closedCount && (!distributions || roundCounted() == considered))
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000); // leave the cores to the listener and the recorder
    }
    if (evictionsCounted() != closedCount) {
      throw new IllegalStateException(
          "W1 n="
              + n
              + ": the metrics counted "
              + evictionsCounted()
              + " evictions, expected "
              + closedCount
              + " ("
              + cm.stats().droppedListenerEvents()
              + " listener events dropped)");
    }
    if (distributions && (roundCount("closed") != closedCount || roundCounted() != considered)) {
      throw new IllegalStateException(
          "W1 n="
              + n
              + ": the score distributions recorded "
              + roundCount("closed")
              + " closed of "
              + roundCounted()
              + " considered, expected "
              + closedCount
              + " of "
              + considered
              + " ("
              + cm.stats().droppedListenerEvents()
              + " listener events dropped)");
    }
  }

  private double evictionsCounted() {
    double sum = 0;
    for (Counter c : registry.find("connmgr.evictions").counters()) {
      sum += c.count();
    }
    return sum;
  }

  /** Closed plus kept; the recorder counts them last, once it has recorded the whole round. */
  private double roundCounted() {
    return roundCount("closed") + roundCount("kept");
  }

  private double roundCount(String outcome) {
    return registry.get("connmgr.round.connections").tag("outcome", outcome).counter().count();
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
