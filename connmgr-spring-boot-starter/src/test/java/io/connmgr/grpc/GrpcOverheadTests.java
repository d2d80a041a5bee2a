package io.connmgr.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.testing.Timings;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Many gRPC transports held at once by a grpc-netty server under {@link GrpcConnections} and, in
 * the same run, by the same server without it. Checks that every transport counted and none was
 * refused; prints what the adapter adds to a transport's open and close (not a target: those live
 * in JMH; the figure is as noisy as the machine).
 */
class GrpcOverheadTests {

  private static final int HELD = 300;
  private static final int ROUNDS = 3;
  private static final MethodDescriptor<byte[], byte[]> PING = TestMethods.PING;

  @Test
  void threeHundredTransportsHeldAtOnceWithAndWithoutTheAdapter() throws Exception {
    // each transport has its own peer, so no per-peer view skews the comparison
    try (ConnectionManager manager =
            ConnectionManager.builder().lowWater(5000).highWater(6000).build();
        GrpcConnections grpc =
            new GrpcConnections(
                manager,
                h -> PeerId.unverified("p" + ((InetSocketAddress) h.remoteAddress()).getPort()))) {
      TransportCounter plainCount = new TransportCounter();
      NettyServerBuilder managedBuilder = builder();
      grpc.customize(managedBuilder);
      Server managed = managedBuilder.build().start();
      Server plain = builder().addTransportFilter(plainCount).build().start();
      try {
        round(plain, plainCount.ready::get);
        round(managed, manager::connectionCount);
        long[] with = new long[ROUNDS];
        long[] without = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
          with[i] = round(managed, manager::connectionCount);
          without[i] = round(plain, plainCount.ready::get);
        }
        assertThat(grpc.refusedConnections()).isZero();
        long perWith = Timings.median(with) / HELD;
        long perWithout = Timings.median(without) / HELD;
        System.out.printf(
            "connmgr grpc: %d transports held at once; open+call+close %d us each"
                + " with the adapter, %d us without (median of %d rounds; overhead %d us)%n",
            HELD, perWith / 1000, perWithout / 1000, ROUNDS, (perWith - perWithout) / 1000);
      } finally {
        managed.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        plain.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  private static NettyServerBuilder builder() {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(TestMethods.pingService());
  }

  /** Opens HELD transports (one call each), waits until the server holds them, closes, waits. */
  private static long round(Server server, IntSupplier serverCount) throws Exception {
    long start = System.nanoTime();
    List<ManagedChannel> channels = new ArrayList<>();
    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    for (int i = 0; i < HELD; i++) {
      ManagedChannel c =
          NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
      channels.add(c);
      CompletableFuture<byte[]> call = new CompletableFuture<>();
      ClientCalls.asyncUnaryCall(
          c.newCall(PING, CallOptions.DEFAULT),
          new byte[] {1},
          new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
              call.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              call.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
          });
      calls.add(call);
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    await().atMost(Duration.ofMinutes(2)).until(() -> serverCount.getAsInt() == HELD);
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      c.awaitTermination(1, TimeUnit.MINUTES);
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> serverCount.getAsInt() == 0);
    return System.nanoTime() - start;
  }

  /** Counts the bare server's ready transports. */
  private static final class TransportCounter extends ServerTransportFilter {
    final AtomicInteger ready = new AtomicInteger();

    @Override
    public Attributes transportReady(Attributes attributes) {
      ready.incrementAndGet();
      return attributes;
    }

    @Override
    public void transportTerminated(Attributes attributes) {
      ready.decrementAndGet();
    }
  }
}
