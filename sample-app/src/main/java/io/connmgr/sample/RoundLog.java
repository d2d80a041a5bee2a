package io.connmgr.sample;

import io.connmgr.ConnectionManagerListener;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.TrimReport;
import io.connmgr.autoconfigure.ConnmgrProperties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A listener bean (registered by the starter) that logs each round that closed something or fell
 * short in one line, and counts what only the sample cares about: whether a static peer or a
 * reasonless eviction ever showed up. Rounds, evictions and the last reports come from the
 * manager's {@code stats()}.
 */
@Component
public class RoundLog implements ConnectionManagerListener {

  private static final Logger LOG = LoggerFactory.getLogger(RoundLog.class);

  private final Set<PeerId> staticPeers;
  private final AtomicLong staticPeerEvictions = new AtomicLong();
  private final AtomicLong evictionsWithoutReason = new AtomicLong();

  /** A log that knows the static peers. */
  public RoundLog(ConnmgrProperties connmgr) {
    this.staticPeers = Set.copyOf(connmgr.staticPeerIds());
  }

  @Override
  public void onRound(TrimReport report) {
    if (!report.evicted().isEmpty() || !report.reachedTarget()) {
      LOG.info("{} connections: {}", report.connectionsBefore(), report.summary());
    }
  }

  @Override
  public void onEviction(EvictionRecord record) {
    if (staticPeers.contains(record.peer())) {
      staticPeerEvictions.incrementAndGet();
    }
    if (record.reason().isBlank()) {
      evictionsWithoutReason.incrementAndGet();
    }
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
    return report.skipped().values().stream().mapToInt(Integer::intValue).sum();
  }
}
