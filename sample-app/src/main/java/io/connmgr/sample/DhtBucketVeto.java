package io.connmgr.sample;

import io.connmgr.CloseVeto;
import io.connmgr.ConnectionView;
import io.connmgr.TrimRound;
import io.connmgr.Verdict;
import org.springframework.stereotype.Component;

/**
 * Never lets a trim round empty a DHT bucket: a candidate that is the last peer of its bucket,
 * counting the peers this round already planned to close, is vetoed and the round moves on to the
 * next candidate. Registered by the starter under its bean name, {@code dhtBuckets}.
 */
@Component("dhtBuckets")
public class DhtBucketVeto implements CloseVeto {

  private final DhtRoutingTable table;

  /** A veto over {@code table}. */
  public DhtBucketVeto(DhtRoutingTable table) {
    this.table = table;
  }

  @Override
  public Verdict review(ConnectionView candidate, TrimRound round) {
    int bucket = table.bucketOf(candidate.peer());
    if (bucket < 0) {
      return Verdict.allow(); // not in the routing table
    }
    // peers of this bucket the round will already close: they no longer count as "left"
    long planned = round.planned().stream()
        .filter(c -> table.bucketOf(c.peer()) == bucket)
        .count();
    return table.size(bucket) - planned <= 1
        ? Verdict.veto("last peer of DHT bucket " + bucket)
        : Verdict.allow();
  }
}
