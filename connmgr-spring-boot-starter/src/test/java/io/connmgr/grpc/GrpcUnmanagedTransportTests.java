package io.connmgr.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.connmgr.ConnectionManager;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.testing.CapturedLog;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server whose channel type was set again after {@link GrpcConnections#customize}: the adapter
 * never sees its channels, so it cannot manage its transports, and says so instead of failing open
 * silently.
 */
class GrpcUnmanagedTransportTests {

  @Test
  void transportsTheAdapterCannotFindAreCountedAndWarnedOfOnce() throws Exception {
    try (ConnectionManager manager = ConnectionManager.builder().build();
        GrpcConnections grpc = new GrpcConnections(manager, PeerIdentityResolver.standard());
        CapturedLog log = CapturedLog.of(GrpcConnections.class)) {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(TestMethods.pingService());
      grpc.customize(builder);
      builder.channelType(NioServerSocketChannel.class); // a later customizer's "tweak"
      Server server = builder.build().start();
      try {
        call(server);
        call(server);

        await().until(() -> grpc.unmanagedTransports() == 2);
        assertThat(manager.connectionCount()).isZero();
        assertThat(log.events())
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getLevel()).isEqualTo(Level.WARN);
                  assertThat(e.getFormattedMessage())
                      .contains("not managed", "channelType", "unmanagedTransports()");
                });
      } finally {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void call(Server server) throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      ClientCalls.blockingUnaryCall(channel, TestMethods.PING, CallOptions.DEFAULT, new byte[] {1});
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
