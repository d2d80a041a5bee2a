package io.connmgr.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.StreamView;
import io.connmgr.inspect.ConnectionSnapshot;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http2StreamsTest {

  private final ConnectionManager manager =
      ConnectionManager.builder().lowWater(100).highWater(200).build();
  private final ConnectionManagerHandler connections =
      ConnectionManagerHandler.builder(manager).build();
  private final ManagedStreamHandler streams = ManagedStreamHandler.byPath();

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void eachHttp2StreamIsAManagedStreamNamedByItsPathUntilItEnds() throws Exception {
    try (Loopback net = new Loopback(server())) {
      Channel client = net.connect(client(new GoAwayRecorder()));
      Http2StreamChannel chat = open(client, "/chat");
      open(client, "/feed");

      await().until(() -> streamsOf().size() == 2);
      assertThat(streamsOf())
          .extracting(StreamView::protocol)
          .containsExactlyInAnyOrder("/chat", "/feed");
      assertThat(streamsOf()).extracting(StreamView::direction).containsOnly(Direction.INBOUND);

      chat.writeAndFlush(new DefaultHttp2DataFrame(true)).sync();
      await().until(() -> streamsOf().size() == 1);
      assertThat(streamsOf()).extracting(StreamView::protocol).containsExactly("/feed");
    }
  }

  @Test
  void anEvictedHttp2ConnectionGetsAGoAwaySayingWhyThenCloses() throws Exception {
    GoAwayRecorder goAways = new GoAwayRecorder();
    try (Loopback net = new Loopback(server())) {
      Channel client = net.connect(client(goAways));
      open(client, "/chat");
      await().until(() -> streamsOf().size() == 1);

      manager.evict(
          manager.inspect().snapshot().connections().get(0).id(), "operator: rebalancing");

      assertThat(client.closeFuture().await(Duration.ofSeconds(30).toMillis())).isTrue();
      assertThat(goAways.debugData).containsExactly("operator: rebalancing");
      assertThat(goAways.errorCodes).containsExactly(0L);
      await().until(() -> manager.connectionCount() == 0);
    }
  }

  private List<? extends StreamView> streamsOf() {
    List<ConnectionSnapshot> all = manager.inspect().snapshot().connections();
    return all.isEmpty() ? List.of() : all.get(0).streams();
  }

  private ChannelInitializer<Channel> server() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline()
            .addLast(
                connections,
                Http2FrameCodecBuilder.forServer().build(),
                new Http2MultiplexHandler(
                    new ChannelInitializer<Http2StreamChannel>() {
                      @Override
                      protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(streams, new Echo());
                      }
                    }));
      }
    };
  }

  private static ChannelInitializer<Channel> client(GoAwayRecorder goAways) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline()
            .addLast(
                Http2FrameCodecBuilder.forClient().build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                goAways);
      }
    };
  }

  private static Http2StreamChannel open(Channel client, String path) throws Exception {
    Http2StreamChannel stream =
        new Http2StreamChannelBootstrap(client)
            .handler(new ChannelInboundHandlerAdapter())
            .open()
            .sync()
            .getNow();
    stream
        .writeAndFlush(
            new DefaultHttp2HeadersFrame(
                new DefaultHttp2Headers()
                    .method("POST")
                    .scheme("http")
                    .authority("localhost")
                    .path(path),
                false))
        .sync();
    return stream;
  }

  /** The server's stream handler: answers the headers, ends its side when the client ends its. */
  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2HeadersFrame) {
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
      } else if (msg instanceof Http2DataFrame data && data.isEndStream()) {
        ctx.writeAndFlush(new DefaultHttp2DataFrame(true));
      }
      ReferenceCountUtil.release(msg);
    }
  }

  /** The client's view of the GOAWAY frames it received. */
  @Sharable
  private static final class GoAwayRecorder extends ChannelInboundHandlerAdapter {
    final List<String> debugData = new CopyOnWriteArrayList<>();
    final List<Long> errorCodes = new CopyOnWriteArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2GoAwayFrame goAway) {
        debugData.add(goAway.content().toString(StandardCharsets.UTF_8));
        errorCodes.add(goAway.errorCode());
      }
      ReferenceCountUtil.release(msg);
    }
  }
}
