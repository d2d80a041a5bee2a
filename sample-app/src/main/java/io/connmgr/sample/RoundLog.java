package io.connmgr.sample;

import io.connmgr.ConnectionManagerListener;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.SkipReason;
import io.connmgr.TrimReport;
import io.connmgr.autoconfigure.ConnmgrProperties;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A listener bean (registered by the starter) that logs each round in one line and keeps the last
 * {@value #KEPT} round reports and a few counts for the sample's actuator endpoint: every round,
 * not just the last one, and whether a static peer or a reasonless eviction ever showed up.
 */
@Component
public class RoundLog implements ConnectionManagerListener {

  /** How many round reports are kept. */
  static final int KEPT = 200;

  private static final Logger LOG = LoggerFactory.getLogger(RoundLog.class);

  private final Set<PeerId> staticPeers;
  private final Deque<TrimReport> recent = new ArrayDeque<>();
  private final Map<io.connmgr.Trigger, AtomicLong> rounds = new EnumMap<>(io.connmgr.Trigger.class);
  private final AtomicLong evictions = new AtomicLong();
  private final AtomicLong staticPeerEvictions = new AtomicLong();
  private final AtomicLong evictionsWithoutReason = new AtomicLong();

  /** A log that knows the static peers. */
  public RoundLog(ConnmgrProperties connmgr) {
    this.staticPeers = Set.copyOf(connmgr.staticPeerIds());
    for (io.connmgr.Trigger t : io.connmgr.Trigger.values()) {
      rounds.put(t, new AtomicLong());
    }
  }

  @Override
  public void onRound(TrimReport report) {
    Objects.requireNonNull(rounds.get(report.trigger()), "a count for every trigger")
        .incrementAndGet();
    synchronized (recent) {
      recent.addFirst(report);
      if (recent.size() > KEPT) {
        recent.removeLast();
      }
    }
    if (!report.evicted().isEmpty() || !report.reachedTarget()) {
      LOG.info("{} connections: {}", report.connectionsBefore(), report.summary());
    }
  }

  @Override
  public void onEviction(EvictionRecord record) {
    evictions.incrementAndGet();
    if (staticPeers.contains(record.peer())) {
      staticPeerEvictions.incrementAndGet();
    }
    if (record.reason().isBlank()) {
      evictionsWithoutReason.incrementAndGet();
    }
  }

  /** The last round reports, newest first. */
  public List<TrimReport> recent() {
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }

  /** Rounds run so far, by trigger. */
  public Map<io.connmgr.Trigger, Long> rounds() {
    Map<io.connmgr.Trigger, Long> out = new EnumMap<>(io.connmgr.Trigger.class);
    rounds.forEach((t, n) -> out.put(t, n.get()));
    return out;
  }

  /** Connections the manager closed. */
  public long evictions() {
    return evictions.get();
  }

  /** Evictions of a static peer; pinning keeps this at zero. */
  public long staticPeerEvictions() {
    return staticPeerEvictions.get();
  }

  /** Evictions whose record had no reason; the manager always gives one. */
  public long evictionsWithoutReason() {
    return evictionsWithoutReason.get();
  }

  /** How many connections a report's round held back, all reasons together. */
  static int heldBack(TrimReport report) {
    int n = 0;
    for (SkipReason reason : SkipReason.values()) {
      n += report.skipped(reason);
    }
    return n;
  }
}
