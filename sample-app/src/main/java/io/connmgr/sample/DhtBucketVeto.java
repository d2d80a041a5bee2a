package io.connmgr.sample;

import io.connmgr.CloseVeto;
import io.connmgr.ConnectionView;
import io.connmgr.TrimRound;
import io.connmgr.Verdict;
import io.connmgr.Vetoes;
import org.springframework.stereotype.Component;

/**
 * Never lets a trim round empty a DHT bucket: {@link Vetoes#keepAtLeastPerGroup} with the bucket as
 * the group and a floor of one, so a candidate that is the last of its bucket, counting what the
 * round already planned to close, is vetoed and the round moves on. A bucket's members are the
 * connections that carry a peer's routing-table stream, not every connection of its peers.
 * Registered by the starter under its bean name, {@code dhtBuckets}.
 */
@Component("dhtBuckets")
public class DhtBucketVeto implements CloseVeto {

  private final CloseVeto floor;
  private final DhtRoutingTable table;

  /** A veto over {@code table}. */
  public DhtBucketVeto(DhtRoutingTable table) {
    this.table = table;
    this.floor =
        Vetoes.keepAtLeastPerGroup(
            1,
            c -> {
              int bucket = table.bucketOf(c);
              return bucket < 0 ? null : bucket; // no routing-table stream on it: no group
            });
  }

  @Override
  public Verdict review(ConnectionView candidate, TrimRound round) {
    Verdict verdict = floor.review(candidate, round);
    if (!verdict.isVeto()) {
      table.allowedToClose(candidate);
    }
    return verdict;
  }
}
