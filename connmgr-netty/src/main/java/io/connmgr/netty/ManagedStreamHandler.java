package io.connmgr.netty;

import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Reports each HTTP/2 stream (a child channel of an {@code Http2MultiplexHandler}) as a {@link
 * ManagedStream} of its parent channel's connection, so stream scorers and stream leases work on
 * HTTP/2. The stream opens when its first headers arrive, under the protocol the given function
 * reads from them (the {@code :path} by default), and closes with the child channel. One instance
 * serves every stream: add it first in the child pipelines.
 *
 * <pre>{@code
 * new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
 *   protected void initChannel(Http2StreamChannel ch) {
 *     ch.pipeline().addLast(streams, new MyStreamHandler());
 *   }
 * });
 * }</pre>
 */
@Sharable
public final class ManagedStreamHandler extends ChannelInboundHandlerAdapter {

  /** The protocol of a stream without a {@code :path}: {@value}. */
  public static final String UNKNOWN_PROTOCOL = "http2";

  private static final Logger LOG = Logger.getLogger(ManagedStreamHandler.class.getName());

  private final Function<Http2Headers, @Nullable CharSequence> protocol;

  private ManagedStreamHandler(Function<Http2Headers, @Nullable CharSequence> protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  /** Streams named by their {@code :path}. */
  public static ManagedStreamHandler byPath() {
    return new ManagedStreamHandler(Http2Headers::path);
  }

  /**
   * Streams named by {@code protocol}, applied to each stream's first headers; a null, blank or
   * failing answer names the stream {@value #UNKNOWN_PROTOCOL}.
   */
  public static ManagedStreamHandler by(Function<Http2Headers, @Nullable CharSequence> protocol) {
    return new ManagedStreamHandler(protocol);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Http2HeadersFrame headers
        && ctx.channel() instanceof Http2StreamChannel stream
        && !stream.hasAttr(NettyConnections.STREAM)) {
      open(stream, headers.headers());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ManagedStream stream = ctx.channel().attr(NettyConnections.STREAM).getAndSet(null);
    if (stream != null) {
      stream.close();
    }
    ctx.fireChannelInactive();
  }

  private void open(Http2StreamChannel stream, Http2Headers headers) {
    Channel parent = stream.parent();
    ManagedConnection connection =
        parent == null ? null : parent.attr(NettyConnections.CONNECTION).get();
    if (connection == null || !connection.isOpen()) {
      return;
    }
    boolean clientInitiated = stream.stream().id() % 2 == 1;
    boolean weAreServer = connection.direction() == Direction.INBOUND;
    Direction direction = clientInitiated == weAreServer ? Direction.INBOUND : Direction.OUTBOUND;
    try {
      stream
          .attr(NettyConnections.STREAM)
          .set(connection.openStream(protocolOf(headers), direction));
    } catch (RuntimeException e) {
      LOG.log(
          Level.FINE,
          () -> "connmgr: no stream on connection " + connection.id() + ": " + e.getMessage());
    }
  }

  private String protocolOf(Http2Headers headers) {
    CharSequence name;
    try {
      name = protocol.apply(headers);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, e, () -> "connmgr: the stream protocol function failed");
      return UNKNOWN_PROTOCOL;
    }
    return name == null || name.toString().isBlank() ? UNKNOWN_PROTOCOL : name.toString();
  }
}
