package io.connmgr.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.LeaseListener;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.SkipReason;
import io.connmgr.TrimReport;
import io.connmgr.sample.ProtocolHandler.Ending;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.WebSocketSession;

/**
 * The DHT veto against a peer that rejoins while its old connection is still open (found by
 * {@code .ci/loaded-verify}: under load the node sees the old connection close late). Only the
 * connection that carries the routing-table stream belongs to the bucket; counting the peer's
 * other connection as well let a round close the last one that mattered and empty the bucket.
 */
class DhtBucketVetoTest {

  private final ConnectionManager manager = ConnectionManager.builder()
      .lowWater(1)
      .highWater(2)
      .gracePeriod(Duration.ZERO)
      .maintenanceInterval(Duration.ZERO)
      .build();
  private final DhtRoutingTable table = new DhtRoutingTable(manager);

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void aPeersSecondConnectionDoesNotCountForTheBucketItsFirstConnectionHolds() {
    manager.registerVeto("dhtBuckets", new DhtBucketVeto(table));
    PeerId rejoining = PeerId.of("dht-14");
    AtomicReference<PeerStream> dhtStream = new AtomicReference<>();
    AtomicInteger dhtConnectionClosed = new AtomicInteger();
    ManagedConnection first = manager.connectionOpened(rejoining, Direction.INBOUND, "10.0.0.1:1",
        why -> {
          dhtConnectionClosed.incrementAndGet();
          table.closed(dhtStream.get(), Ending.CONNECTION_EVICTED);
        });
    PeerStream stream = new PeerStream("d", first.openStream(Protocols.DHT, Direction.INBOUND),
        first, mock(WebSocketSession.class), s -> { });
    dhtStream.set(stream);
    table.received(stream, "HELLO");
    assertThat(table.bucketOf(first)).isNotNegative();

    // the peer is back on a new connection before the node has seen the old one go; a transfer
    // holds the new one
    ManagedConnection second = manager.connectionOpened(rejoining, Direction.INBOUND,
        "10.0.0.1:2", why -> { });
    second.lease(Duration.ofMinutes(1), LeaseListener.releasing());
    assertThat(table.bucketOf(second)).isNegative();
    AtomicInteger otherClosed = new AtomicInteger();
    manager.connectionOpened(PeerId.of("gossip-1"), Direction.INBOUND, "10.0.0.2:1",
        why -> otherClosed.incrementAndGet());

    TrimReport report = manager.trim();

    assertThat(otherClosed).hasValue(1);
    assertThat(dhtConnectionClosed).as("the bucket's only routing-table connection").hasValue(0);
    assertThat(report.skipped(SkipReason.VETOED)).isEqualTo(1);
    assertThat(report.vetoes()).containsEntry("dhtBuckets", 1);
    assertThat(table.bucketsEmptiedByEviction()).isZero();
    assertThat(table.peers()).isEqualTo(1);
  }
}
