package io.connmgr.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.UnixOperatingSystemMXBean;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionView;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten thousand real loopback connections through one shared handler, in batches the process's file
 * descriptor limit allows (each connection costs two descriptors here, client and server).
 */
@Timeout(600)
class ManyConnectionsTest {

  private static final int TOTAL = 10_000;

  private final ConnectionManager manager =
      ConnectionManager.builder().lowWater(20_000).highWater(30_000).build();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void tenThousandConnectionsPassThroughOneHandler() throws Exception {
    manager.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onConnectionOpened(ConnectionView connection) {
            opened.incrementAndGet();
          }

          @Override
          public void onConnectionClosed(ConnectionView connection) {
            closed.incrementAndGet();
          }
        });
    ConnectionManagerHandler handler = ConnectionManagerHandler.builder(manager).build();
    int batch = batchSize();
    int held = 0;
    try (Loopback net = new Loopback(child(handler))) {
      for (int done = 0; done < TOTAL; done += batch) {
        int n = Math.min(batch, TOTAL - done);
        List<Channel> clients = connect(net, n);
        await().atMost(Duration.ofMinutes(2)).until(() -> manager.connectionCount() == n);
        held = Math.max(held, manager.connectionCount());
        closeAll(clients);
        await().atMost(Duration.ofMinutes(2)).until(() -> manager.connectionCount() == 0);
      }
    }
    assertThat(opened).hasValue(TOTAL);
    assertThat(closed).hasValue(TOTAL);
    assertThat(handler.refusedConnections()).isZero();
    System.out.printf(
        "connmgr-netty: %d connections through one handler, %d held at once"
            + " (descriptor limit %d)%n",
        TOTAL, held, descriptorLimit());
  }

  /**
   * Not a target (those live in JMH): the cost the adapter adds to a real open and close on this
   * machine, measured against the same server without it, alternating, median of five rounds.
   */
  @Test
  void openAndCloseWithAndWithoutTheAdapter() throws Exception {
    int n = Math.min(2_000, batchSize());
    ConnectionManagerHandler handler = ConnectionManagerHandler.builder(manager).build();
    ActiveCounter plain = new ActiveCounter();
    long[] with = new long[5];
    long[] without = new long[5];
    try (Loopback managed = new Loopback(child(handler));
        Loopback bare = new Loopback(child(plain))) {
      round(managed, n, manager::connectionCount); // warm-up
      round(bare, n, plain.active::get);
      for (int i = 0; i < with.length; i++) {
        with[i] = round(managed, n, manager::connectionCount);
        without[i] = round(bare, n, plain.active::get);
      }
    }
    assertThat(handler.refusedConnections()).isZero();
    long medianWith = median(with) / n;
    long medianWithout = median(without) / n;
    System.out.printf(
        "connmgr-netty: open+close of %d loopback connections: %d us each with the"
            + " adapter, %d us without (median of %d rounds; overhead %d us)%n",
        n,
        medianWith / 1000,
        medianWithout / 1000,
        with.length,
        (medianWith - medianWithout) / 1000);
  }

  /** Opens {@code n} connections, waits until the server counts them, closes them, waits. */
  private static long round(Loopback net, int n, IntSupplier serverCount) throws Exception {
    long start = System.nanoTime();
    List<Channel> clients = connect(net, n);
    await().atMost(Duration.ofMinutes(2)).until(() -> serverCount.getAsInt() == n);
    closeAll(clients);
    await().atMost(Duration.ofMinutes(2)).until(() -> serverCount.getAsInt() == 0);
    return System.nanoTime() - start;
  }

  private static List<Channel> connect(Loopback net, int n) throws InterruptedException {
    List<ChannelFuture> pending = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pending.add(net.bootstrap(new ChannelInboundHandlerAdapter()).connect(net.address()));
    }
    List<Channel> clients = new ArrayList<>(n);
    for (ChannelFuture f : pending) {
      clients.add(f.sync().channel());
    }
    return clients;
  }

  private static void closeAll(List<Channel> clients) throws InterruptedException {
    List<ChannelFuture> closing = new ArrayList<>(clients.size());
    for (Channel c : clients) {
      closing.add(c.close());
    }
    for (ChannelFuture f : closing) {
      f.sync();
    }
  }

  private static ChannelInitializer<Channel> child(ChannelHandler handler) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(handler);
      }
    };
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Connections the limit on open descriptors allows at once, two descriptors each. */
  private static int batchSize() {
    long free = descriptorLimit() - openDescriptors() - 1_000;
    return (int) Math.max(100, Math.min(TOTAL, free / 2));
  }

  private static long descriptorLimit() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount()
        : 4_096;
  }

  private static long openDescriptors() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getOpenFileDescriptorCount()
        : 0;
  }

  /** The bare server's only handler: counts its active channels. */
  @Sharable
  private static final class ActiveCounter extends ChannelInboundHandlerAdapter {
    final AtomicInteger active = new AtomicInteger();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      active.incrementAndGet();
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      active.decrementAndGet();
      ctx.fireChannelInactive();
    }
  }
}
