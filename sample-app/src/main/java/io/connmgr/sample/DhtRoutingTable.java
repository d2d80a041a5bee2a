package io.connmgr.sample;

import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionView;
import io.connmgr.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A small Kademlia routing table fed by the {@code dht} protocol. A peer enters when it opens a
 * {@code dht} stream, in the bucket given by the length of the common prefix of its key and ours
 * (at most {@link #K} peers a bucket, as in Kademlia), and leaves when its stream ends. Every peer
 * in the table is tagged {@code kad} with weight 1: worth a little more than an idle peer, but far
 * less than one that moves blocks. {@link DhtBucketVeto} keeps the manager from emptying a bucket.
 *
 * <p>Messages: {@code PING} answered by {@code PONG}; {@code FIND_NODE <key>} answered by {@code
 * NODES <peer>...}, the three closest peers the table knows.
 */
@Component
public class DhtRoutingTable implements ProtocolHandler {

  /** Peers per bucket. */
  public static final int K = 20;

  /** The tag every routing-table peer carries. */
  public static final String TAG = "kad";

  private static final Logger LOG = LoggerFactory.getLogger(DhtRoutingTable.class);

  private final ConnectionManager manager;
  private final long self = key("connmgr-sample-node");

  /** Peer to its entry; an entry remembers the stream that put it there. */
  private final Map<PeerId, Entry> entries = new ConcurrentHashMap<>();

  private final AtomicLong emptiedByEviction = new AtomicLong();
  private final AtomicLong emptiedByRace = new AtomicLong();

  /** Per bucket: peers that left it on their own (their stream ended, not an eviction). */
  private final Map<Integer, Long> departures = new ConcurrentHashMap<>();

  /** Per peer the veto let go: the veto's last allowance for one of its connections. */
  private final Map<PeerId, Allowance> allowances = new ConcurrentHashMap<>();

  /** One routing-table peer: its bucket and the stream (on its connection) that put it there. */
  private record Entry(int bucket, long streamId, long connectionId) {}

  /**
   * The veto let {@code connectionId} be closed when its bucket had seen {@code departures} peers
   * leave, or when the connection held no bucket at all ({@code departures} is then -1).
   */
  private record Allowance(long connectionId, long departures) {

    boolean beforeTheConnectionJoined() {
      return departures < 0;
    }
  }

  /** A table that tags its peers on {@code manager}. */
  public DhtRoutingTable(ConnectionManager manager) {
    this.manager = manager;
  }

  @Override
  public String protocol() {
    return Protocols.DHT;
  }

  @Override
  public void opened(PeerStream stream) {
    add(stream);
  }

  @Override
  public void received(PeerStream stream, String body) {
    if (body.equals("PING")) {
      stream.send("PONG");
    } else if (body.startsWith("FIND_NODE ")) {
      long target = key(body.substring("FIND_NODE ".length()));
      String closest =
          entries.keySet().stream()
              .sorted(
                  Comparator.comparing(
                      (PeerId p) -> key(p.value()) ^ target, Long::compareUnsigned))
              .limit(3)
              .map(PeerId::value)
              .collect(Collectors.joining(" "));
      stream.send("NODES " + closest);
    }
  }

  @Override
  public void closed(PeerStream stream, Ending ending) {
    PeerId peer = stream.peer();
    Entry entry;
    boolean emptied;
    synchronized (this) {
      entry = entries.get(peer);
      if (entry == null || entry.streamId() != stream.managed().id()) {
        return;
      }
      entries.remove(peer);
      emptied = size(entry.bucket()) == 0;
      if (ending != Ending.CONNECTION_EVICTED) {
        departures.merge(entry.bucket(), 1L, Long::sum);
      }
    }
    manager.untagPeer(peer, TAG);
    Allowance allowance = allowances.remove(peer);
    if (ending != Ending.CONNECTION_EVICTED || !emptied) {
      return;
    }
    if (allowance != null
        && allowance.connectionId() == entry.connectionId()
        && (allowance.beforeTheConnectionJoined()
            || departures(entry.bucket()) > allowance.departures())) {
      // the bucket changed after the veto's answer: another of its peers left on their own, or
      // this connection joined it only then; a race with the swarm that no veto can see
      emptiedByRace.incrementAndGet();
      LOG.info(
          "DHT bucket {} emptied: {} was evicted after the bucket changed behind the veto",
          entry.bucket(),
          peer);
    } else {
      // the veto exists so that this never happens
      emptiedByEviction.incrementAndGet();
      LOG.warn("an eviction of {} emptied DHT bucket {}", peer, entry.bucket());
    }
  }

  /**
   * Notes that the veto let {@code connection} be closed now, so that a bucket emptied later can
   * tell a wrong answer from a bucket that changed meanwhile.
   */
  void allowedToClose(ConnectionView connection) {
    int bucket = bucketOf(connection);
    allowances.put(
        connection.peer(), new Allowance(connection.id(), bucket < 0 ? -1 : departures(bucket)));
  }

  private long departures(int bucket) {
    return departures.getOrDefault(bucket, 0L);
  }

  /**
   * The bucket {@code connection} holds its peer in, or -1: only the connection that carries the
   * peer's routing-table stream counts. A peer that rejoins while its old connection is still
   * closing has two connections for a moment, and closing the one with the stream empties the
   * bucket even though the other stays open.
   */
  public int bucketOf(ConnectionView connection) {
    Entry entry = entries.get(connection.peer());
    return entry == null || entry.connectionId() != connection.id() ? -1 : entry.bucket();
  }

  /** How many peers a bucket holds. */
  public int size(int bucket) {
    return (int) entries.values().stream().filter(e -> e.bucket() == bucket).count();
  }

  /** Bucket index to size, for every non-empty bucket. */
  public Map<Integer, Integer> buckets() {
    return entries.values().stream()
        .collect(Collectors.groupingBy(Entry::bucket, TreeMap::new, Collectors.summingInt(e -> 1)));
  }

  /** Peers in the table. */
  public int peers() {
    return entries.size();
  }

  /** Buckets an eviction left empty; the veto keeps this at zero. */
  public long bucketsEmptiedByEviction() {
    return emptiedByEviction.get();
  }

  /**
   * Buckets emptied by an eviction the veto allowed when the bucket was different: another peer was
   * still in it and left on its own before the close, or the closed connection joined it only after
   * the answer. The swarm's race, not the veto's answer.
   */
  public long bucketsEmptiedByRace() {
    return emptiedByRace.get();
  }

  private void add(PeerStream stream) {
    PeerId peer = stream.peer();
    if (entries.containsKey(peer)) {
      return;
    }
    int bucket = Long.numberOfLeadingZeros(self ^ key(peer.value()));
    synchronized (this) {
      if (size(bucket) >= K || entries.containsKey(peer)) {
        return; // a full bucket: Kademlia keeps its old peers
      }
      entries.put(peer, new Entry(bucket, stream.managed().id(), stream.connection().id()));
    }
    manager.tagPeer(peer, TAG, 1);
  }

  /** The first 64 bits of SHA-256: the sample's key space. */
  static long key(String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }
}
