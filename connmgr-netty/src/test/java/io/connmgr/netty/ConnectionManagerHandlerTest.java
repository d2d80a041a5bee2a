package io.connmgr.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import io.connmgr.inspect.ConnectionSnapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionManagerHandlerTest {

  private final ConnectionManager manager =
      ConnectionManager.builder().lowWater(100).highWater(200).maxConnectionsPerPeer(2).build();
  private final Recorder application = new Recorder();

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void aChannelCountsWhileOpenUnderItsRemoteHostAsAnUnverifiedPeer() throws Exception {
    ConnectionManagerHandler handler = ConnectionManagerHandler.builder(manager).build();
    try (Loopback net = new Loopback(pipeline(handler))) {
      Channel client = net.connect(new ChannelInboundHandlerAdapter());
      await().until(() -> manager.connectionCount() == 1);
      ConnectionSnapshot c = only();
      assertThat(c.peer()).isEqualTo(PeerId.unverified("127.0.0.1"));
      assertThat(c.peer().isVerified()).isFalse();
      assertThat(c.direction()).isEqualTo(Direction.INBOUND);
      assertThat(c.attachments()).containsEntry(NettyConnections.TRANSPORT_ATTACHMENT, "netty");
      assertThat(c.remoteAddress())
          .isEqualTo("127.0.0.1:" + ((java.net.InetSocketAddress) client.localAddress()).getPort());
      assertThat(application.active).hasValue(1);

      client.close().sync();
      await().until(() -> manager.connectionCount() == 0);
      assertThat(handler.refusedConnections()).isZero();
    }
  }

  @Test
  void aRefusedChannelIsClosedAndCountedAndNeverReachesTheApplication() throws Exception {
    ConnectionManagerHandler handler = ConnectionManagerHandler.builder(manager).build();
    try (Loopback net = new Loopback(pipeline(handler))) {
      net.connect(new ChannelInboundHandlerAdapter());
      net.connect(new ChannelInboundHandlerAdapter());
      await().until(() -> manager.connectionCount() == 2);

      Channel third = net.connect(new ChannelInboundHandlerAdapter());
      assertThat(third.closeFuture().await(Duration.ofSeconds(30).toMillis())).isTrue();
      assertThat(handler.refusedConnections()).isEqualTo(1);
      assertThat(manager.connectionCount()).isEqualTo(2);
      assertThat(application.active).hasValue(2);
    }
  }

  @Test
  void anEvictedChannelHearsWhyAndCloses() throws Exception {
    ConnectionManagerHandler handler = ConnectionManagerHandler.builder(manager).build();
    try (Loopback net = new Loopback(pipeline(handler))) {
      Channel client = net.connect(new ChannelInboundHandlerAdapter());
      await().until(() -> manager.connectionCount() == 1);

      assertThat(manager.evict(only().id(), "operator: too chatty")).isTrue();

      assertThat(client.closeFuture().await(Duration.ofSeconds(30).toMillis())).isTrue();
      await().until(() -> manager.connectionCount() == 0);
      assertThat(application.events)
          .singleElement()
          .isInstanceOfSatisfying(
              ConnectionEvicted.class,
              e -> {
                assertThat(e.why().reason()).isEqualTo("operator: too chatty");
                assertThat(e.why().trigger()).isEqualTo(Trigger.OPERATOR);
              });
    }
  }

  @Test
  void anApplicationHandlerThatThrowsOnTheEvictionEventDoesNotKeepTheChannelOpen()
      throws Exception {
    ConnectionManagerHandler handler = ConnectionManagerHandler.builder(manager).build();
    ChannelInitializer<Channel> pipeline =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline()
                .addLast(
                    handler,
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        throw new IllegalStateException("goodbye failed");
                      }
                    });
          }
        };
    try (Loopback net = new Loopback(pipeline)) {
      Channel client = net.connect(new ChannelInboundHandlerAdapter());
      await().until(() -> manager.connectionCount() == 1);

      assertThat(manager.evict(only().id(), "operator")).isTrue();

      assertThat(client.closeFuture().await(Duration.ofSeconds(30).toMillis())).isTrue();
      await().until(() -> manager.connectionCount() == 0);
    }
  }

  @Test
  void evictionsRacingClientClosesLeaveNothingCountedAndNothingOpen() throws Exception {
    ConnectionManager roomy = ConnectionManager.builder().lowWater(1000).highWater(2000).build();
    ConnectionManagerHandler handler =
        ConnectionManagerHandler.builder(roomy)
            .resolver(
                h ->
                    PeerId.unverified(
                        "port-" + ((java.net.InetSocketAddress) h.remoteAddress()).getPort()))
            .build();
    try (roomy;
        Loopback net = new Loopback(pipeline(handler))) {
      List<Channel> clients = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        clients.add(net.connect(new ChannelInboundHandlerAdapter()));
      }
      await().until(() -> roomy.connectionCount() == 200);
      List<Long> ids =
          roomy.inspect().snapshot().connections().stream().map(ConnectionSnapshot::id).toList();

      Thread evictor = new Thread(() -> ids.forEach(id -> roomy.evict(id, "race")));
      evictor.start();
      for (int i = 0; i < clients.size(); i += 2) {
        clients.get(i).close();
      }
      evictor.join(Duration.ofSeconds(60).toMillis());

      for (Channel c : clients) {
        assertThat(c.closeFuture().await(Duration.ofSeconds(30).toMillis())).isTrue();
      }
      await().until(() -> roomy.connectionCount() == 0);
      assertThat(roomy.peerCount()).isZero();
    }
  }

  @Test
  void theApplicationsHandshakeNamesAVerifiedPeerAndNothingCountsBeforeIt() throws Exception {
    ConnectionManagerHandler handler =
        ConnectionManagerHandler.builder(manager).awaitIdentification().build();
    ChannelInitializer<Channel> pipeline =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(handler, application, new HelloHandshake());
          }
        };
    try (Loopback net = new Loopback(pipeline)) {
      Channel client = net.connect(new ChannelInboundHandlerAdapter());
      await().until(() -> application.active.get() == 1); // past the handler's channelActive
      assertThat(manager.connectionCount()).isZero();

      client.writeAndFlush(Unpooled.copiedBuffer("node-7", StandardCharsets.UTF_8)).sync();
      await().until(() -> manager.connectionCount() == 1);
      assertThat(only().peer()).isEqualTo(PeerId.of("node-7"));
      assertThat(only().peer().isVerified()).isTrue();
    }
  }

  @Test
  void aTlsClientCertificateNamesAVerifiedPeer() throws Exception {
    MutualTls tls = MutualTls.make();
    SslContext serverTls = tls.server();
    SslContext clientTls = tls.client();
    ConnectionManagerHandler handler = ConnectionManagerHandler.builder(manager).build();
    ChannelInitializer<Channel> pipeline =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(serverTls.newHandler(ch.alloc()), handler, application);
          }
        };
    try (Loopback net = new Loopback(pipeline)) {
      net.connect(
          new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(clientTls.newHandler(ch.alloc(), "localhost", 0));
            }
          });
      await().until(() -> manager.connectionCount() == 1);
      assertThat(only().peer()).isEqualTo(PeerId.of("CN=node-9"));
    }
  }

  @Test
  void aChannelWithoutAnAcceptableIdIsClosedAndCounted() throws Exception {
    ConnectionManagerHandler handler =
        ConnectionManagerHandler.builder(manager)
            .resolver(
                handshake -> {
                  throw new IllegalArgumentException("no token");
                })
            .build();
    try (Loopback net = new Loopback(pipeline(handler))) {
      Channel client = net.connect(new ChannelInboundHandlerAdapter());
      assertThat(client.closeFuture().await(Duration.ofSeconds(30).toMillis())).isTrue();
      assertThat(handler.unidentifiedConnections()).isEqualTo(1);
      assertThat(manager.connectionCount()).isZero();
      assertThat(application.active).hasValue(0);
    }
  }

  @Test
  void aChannelTheManagerCannotTakeAnyMoreIsClosedNotLeftOpenUncounted() throws Exception {
    ConnectionManagerHandler handler = ConnectionManagerHandler.builder(manager).build();
    try (Loopback net = new Loopback(pipeline(handler))) {
      manager.close();
      Channel client = net.connect(new ChannelInboundHandlerAdapter());
      assertThat(client.closeFuture().await(Duration.ofSeconds(30).toMillis())).isTrue();
      assertThat(application.active).hasValue(0);
    }
  }

  @Test
  void theResolverSeesTheNettyTransportAndTheRemoteAddress() throws Exception {
    List<io.connmgr.Handshake> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ConnectionManagerHandler handler =
        ConnectionManagerHandler.builder(manager)
            .resolver(
                handshake -> {
                  seen.add(handshake);
                  return PeerId.unverified("seen");
                })
            .build();
    try (Loopback net = new Loopback(pipeline(handler))) {
      net.connect(new ChannelInboundHandlerAdapter());
      await().until(() -> manager.connectionCount() == 1);
      assertThat(seen)
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h.transport()).isEqualTo("netty");
                assertThat(h.principal()).isNull();
                assertThat(h.peerCertificates()).isEmpty();
                assertThat(h.remoteAddress()).isNotNull();
              });
    }
  }

  private ConnectionSnapshot only() {
    return manager.inspect().snapshot().connections().get(0);
  }

  private ChannelInitializer<Channel> pipeline(ConnectionManagerHandler handler) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(handler, application);
      }
    };
  }

  /**
   * An application handshake: the first bytes the client sends name it (a stand-in for a real
   * authentication exchange, which is the application's business).
   */
  private static final class HelloHandshake extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf hello = (ByteBuf) msg;
      String name = hello.toString(StandardCharsets.UTF_8);
      hello.release();
      ctx.channel().attr(NettyConnections.PRINCIPAL).set(() -> name);
      ctx.pipeline().fireUserEventTriggered(NettyConnections.IDENTIFIED);
    }
  }
}
