package io.connmgr.benchmarks;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.netty.ConnectionManagerHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Netty adapter adds to a channel's open and close: a channel through a pipeline with the
 * {@link ConnectionManagerHandler} (resolve the peer, count the connection, record its transport,
 * and report the close) against the same channel through a pipeline without it. Netty's {@code
 * EmbeddedChannel} runs the pipeline on the calling thread, so no socket or event loop noise enters
 * the difference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class NettyAdapterBenchmark {

  /** How many peers the channels are spread over. */
  public static final int PEERS = 1_000;

  ConnectionManager manager;
  ConnectionManagerHandler handler;
  PeerId[] peers;
  int next;

  private static final ChannelInboundHandlerAdapter BARE = new Bare();

  @Setup(Level.Trial)
  public void setUp() {
    peers = Fixture.peers(PEERS);
    manager =
        ConnectionManager.builder()
            .lowWater(10 * PEERS)
            .highWater(20 * PEERS)
            .maintenanceInterval(Duration.ZERO)
            .build();
    handler =
        ConnectionManagerHandler.builder(manager)
            .resolver(handshake -> peers[next++ % PEERS])
            .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (manager.connectionCount() != 0) {
      throw new IllegalStateException(manager.connectionCount() + " connections left open");
    }
    manager.close();
  }

  /** A channel opened and closed through the adapter. */
  @Benchmark
  public boolean withAdapter() {
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    channel.close();
    return channel.isOpen();
  }

  /** The same channel without it. */
  @Benchmark
  public boolean withoutAdapter() {
    EmbeddedChannel channel = new EmbeddedChannel(BARE);
    channel.close();
    return channel.isOpen();
  }

  @Sharable
  private static final class Bare extends ChannelInboundHandlerAdapter {}
}
