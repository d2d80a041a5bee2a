package io.connmgr.netty;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionRefusedException;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Reports each channel of the pipelines it sits in as a connection of a {@link ConnectionManager}
 * and closes the channels the manager evicts. One instance serves every channel of a server: add it
 * first in each child pipeline (after the {@link SslHandler}, if any, and before an HTTP/2 codec).
 *
 * <p>A channel is reported when its peer is known: when it becomes active; after the TLS handshake
 * when the pipeline has a TLS handler (an {@code SslHandler}, or an {@link SslClientHelloHandler}
 * such as {@code SniHandler} or an {@link OptionalSslHandler}, which become one when the client
 * speaks), or with its first bytes when an {@code OptionalSslHandler} found them plaintext; or,
 * when built with {@link Builder#awaitIdentification()}, when the application fires {@link
 * NettyConnections#IDENTIFIED}. The peer id comes from a {@link PeerIdentityResolver} (the
 * application's {@link NettyConnections#PRINCIPAL}, the TLS peer certificate, the {@link
 * NettyConnections#CLAIMED_ID}, the remote address, in the standard resolver's order).
 *
 * <p>A refused channel is closed and counted ({@link #refusedConnections()}); reported at channel
 * activation, it is closed before any later handler sees it active; reported later, an HTTP/2 peer
 * first gets a GOAWAY whose debug data starts with {@value #REFUSED_PREFIX}. An evicted channel
 * first gets a {@link ConnectionEvicted} event through the handlers after this one, then a GOAWAY
 * with the reason as debug data if the pipeline has an HTTP/2 connection handler, then it is
 * closed.
 */
@Sharable
public final class ConnectionManagerHandler extends ChannelInboundHandlerAdapter {

  /** The transport name handed to the resolver unless the builder sets another: {@value}. */
  public static final String TRANSPORT = "netty";

  /**
   * How the GOAWAY debug data of a refused HTTP/2 connection starts, as the close reason of a
   * refused WebSocket session does: {@value}.
   */
  public static final String REFUSED_PREFIX = "connection refused: ";

  private static final Logger LOG = Logger.getLogger(ConnectionManagerHandler.class.getName());

  /** Set on a channel whose admission waits for its TLS handler's handshake. */
  private static final AttributeKey<Boolean> AWAITING_TLS =
      AttributeKey.valueOf(ConnectionManagerHandler.class, "awaitingTls");

  private final ConnectionManager manager;
  private final PeerIdentityResolver resolver;
  private final Direction direction;
  private final String transport;
  private final AttachmentKey<String> transportLabel;
  private final boolean awaitIdentification;
  private final LongAdder refused = new LongAdder();
  private final LongAdder unidentified = new LongAdder();

  private ConnectionManagerHandler(Builder builder) {
    this.manager = builder.manager;
    this.resolver = builder.resolver;
    this.direction = builder.direction;
    this.transport = builder.transport;
    this.transportLabel = AttachmentKey.of(NettyConnections.TRANSPORT_ATTACHMENT, () -> transport);
    this.awaitIdentification = builder.awaitIdentification;
  }

  /** A builder for a handler reporting to {@code manager}. */
  public static Builder builder(ConnectionManager manager) {
    return new Builder(manager);
  }

  /** How many channels the manager refused at admission (each was closed). */
  public long refusedConnections() {
    return refused.sum();
  }

  /** How many channels were closed because the resolver found no acceptable peer id. */
  public long unidentifiedConnections() {
    return unidentified.sum();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (awaitIdentification) {
      ctx.fireChannelActive();
    } else if (hasTlsHandler(ctx.pipeline())) {
      ctx.channel().attr(AWAITING_TLS).set(Boolean.TRUE);
      ctx.fireChannelActive();
    } else if (admit(ctx, false)) {
      ctx.fireChannelActive();
    }
  }

  /**
   * Admits a channel that was waiting for TLS when its first bytes arrive with no TLS handler left:
   * an {@link OptionalSslHandler} found them plaintext and removed itself. Bytes of a channel
   * refused then are dropped.
   */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (ctx.channel().attr(AWAITING_TLS).get() != null
        && !hasTlsHandler(ctx.pipeline())
        && ctx.channel().attr(AWAITING_TLS).getAndSet(null) != null
        && !admit(ctx, true)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == NettyConnections.IDENTIFIED) {
      if (awaitIdentification) {
        admit(ctx, true);
      }
    } else if (event instanceof SslHandshakeCompletionEvent done
        && done.isSuccess()
        && !awaitIdentification) {
      ctx.channel().attr(AWAITING_TLS).set(null);
      admit(ctx, true);
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ManagedConnection connection = ctx.channel().attr(NettyConnections.CONNECTION).getAndSet(null);
    if (connection != null) {
      connection.closed();
    }
    ctx.fireChannelInactive();
  }

  /**
   * Reports the channel; false (and the channel closing) when it was refused.
   *
   * @param seenActive whether the later handlers already saw the channel active, so a refusal can
   *     tell an HTTP/2 peer why in a GOAWAY
   */
  private boolean admit(ChannelHandlerContext ctx, boolean seenActive) {
    Channel channel = ctx.channel();
    if (!channel.isActive() || channel.attr(NettyConnections.CONNECTION).get() != null) {
      return channel.isActive();
    }
    PeerId peer;
    try {
      peer = resolver.resolve(ChannelHandshakes.of(channel, transport));
    } catch (RuntimeException e) {
      unidentified.increment();
      LOG.log(Level.FINE, e, () -> "connmgr: no peer id for channel " + channel.id());
      refuse(ctx, seenActive, e.getMessage());
      return false;
    }
    ManagedConnection connection;
    try {
      connection =
          manager.connectionOpened(
              peer, direction, label(channel.remoteAddress()), why -> evict(ctx, why));
    } catch (ConnectionRefusedException e) {
      refused.increment();
      LOG.log(Level.FINE, () -> "connmgr refused channel " + channel.id() + ": " + e.getMessage());
      refuse(ctx, seenActive, e.getMessage());
      return false;
    } catch (RuntimeException e) {
      // the manager closed, say: an uncounted channel must not stay open
      LOG.log(Level.WARNING, e, () -> "connmgr could not register channel " + channel.id());
      ctx.close();
      return false;
    }
    connection.state(transportLabel);
    channel.attr(NettyConnections.CONNECTION).set(connection);
    return true;
  }

  /** Whether a TLS handler that has not finished its handshake yet may still be ahead. */
  private static boolean hasTlsHandler(ChannelPipeline pipeline) {
    return pipeline.get(SslHandler.class) != null
        || pipeline.get(SslClientHelloHandler.class) != null
        || pipeline.get(OptionalSslHandler.class) != null;
  }

  private static void refuse(ChannelHandlerContext ctx, boolean seenActive, @Nullable String why) {
    if (seenActive) {
      ChannelGoodbye.close(ctx, REFUSED_PREFIX + why);
    } else {
      ctx.close();
    }
  }

  /** The closer: runs on the manager's thread, hands the close to the channel's event loop. */
  private static void evict(ChannelHandlerContext ctx, EvictionRecord why) {
    ctx.executor()
        .execute(
            () -> {
              if (ctx.channel().isActive()) {
                ctx.fireUserEventTriggered(new ConnectionEvicted(why));
              }
              ChannelGoodbye.close(ctx, why.reason());
            });
  }

  static String label(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getHostString() + ":" + inet.getPort();
    }
    return address == null ? "unknown" : address.toString();
  }

  /** Configures a {@link ConnectionManagerHandler}. */
  public static final class Builder {

    private final ConnectionManager manager;
    private PeerIdentityResolver resolver = PeerIdentityResolver.standard();
    private Direction direction = Direction.INBOUND;
    private String transport = TRANSPORT;
    private boolean awaitIdentification;

    private Builder(ConnectionManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
    }

    /** Who the peer is; {@link PeerIdentityResolver#standard()} unless set. */
    public Builder resolver(PeerIdentityResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** {@link Direction#INBOUND} (the default) for a server's channels, outbound for a client's. */
    public Builder direction(Direction direction) {
      this.direction = Objects.requireNonNull(direction, "direction");
      return this;
    }

    /** The transport name the resolver sees ({@value #TRANSPORT} unless set): "grpc", say. */
    public Builder transport(String transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Reports a channel only when the application fires {@link NettyConnections#IDENTIFIED}, after
     * its own handshake set {@link NettyConnections#PRINCIPAL} or {@link
     * NettyConnections#CLAIMED_ID}. Until then the channel does not count.
     */
    public Builder awaitIdentification() {
      this.awaitIdentification = true;
      return this;
    }

    /** The handler; share it between every pipeline it should watch. */
    public ConnectionManagerHandler build() {
      return new ConnectionManagerHandler(this);
    }
  }
}
