package io.connmgr.inspect;

import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the manager lets an operator, a console or a test look at beyond its counters ({@code
 * ConnectionManager.stats()}), from one place: {@code ConnectionManager.inspect()}, the way
 * Caffeine has {@code policy()}. Every answer is a copy taken at the call; nothing here changes the
 * manager.
 */
public interface Inspection {

  /** The current instant of the manager's clock. */
  Instant now();

  /** A consistent copy of every peer, connection, stream, tag, protection, lease and state slot. */
  Snapshot snapshot();

  /**
   * A round that plans and closes nothing: every open connection scored now, by the same policy as
   * a round: candidates in the order a round would close them, then the connections held back and
   * why ({@link io.connmgr.SkipReason#KEPT_BY_SCORER} for a scorer's KEEP, whose score is then the
   * rest of its parts). Vetoes and lease listeners are not asked (asking has effects): the next
   * round closes in this order, skipping what they keep. Scorers are called as in a round (within
   * their budget; counted apart in {@link ScorerInfo#assessCalls()}), so scorers must be
   * thread-safe.
   *
   * @throws IllegalStateException if called from a callback of the manager, or after the manager
   *     was closed
   */
  Assessment assess();

  /** The last eviction records, newest first, as many as the builder's {@code historySize}. */
  List<EvictionRecord> evictionHistory();

  /**
   * What the manager remembers of a peer it evicted recently: when, how often, and the backoff
   * left; empty if the peer is not remembered (never evicted, forgotten, or the memory is off).
   */
  Optional<RecentEviction> recentEviction(PeerId peer);

  /** How many peers the eviction memory holds now. */
  int recentlyEvictedPeers();

  /** What the manager knows of a peer's tags; empty for an unknown peer. */
  Optional<TagInfo> tagInfo(PeerId peer);

  /** The registered scorers with their weights and call statistics. */
  List<ScorerInfo> scorers();

  /** The registered vetoes with their records. */
  List<VetoInfo> vetoes();
}
