package io.connmgr.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Sits in the gRPC server channel's pipeline, ahead of the acceptor: puts the connmgr handlers
 * first in each accepted channel's pipeline (before grpc-netty's own) and remembers the channel by
 * its address pair until it closes, so a transport filter, which sees only addresses, finds it.
 */
@Sharable
final class AcceptedChannels extends ChannelInboundHandlerAdapter {

  private final ChannelHandler[] childHandlers;
  private final Map<AddressPair, Channel> open = new ConcurrentHashMap<>();

  AcceptedChannels(ChannelHandler... childHandlers) {
    this.childHandlers = childHandlers.clone();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child) {
      child.pipeline().addFirst(childHandlers);
      AddressPair key = new AddressPair(child.remoteAddress(), child.localAddress());
      if (key.complete()) {
        open.put(key, child);
        child.closeFuture().addListener(closed -> open.remove(key, child));
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** The open accepted channel with these addresses, if any. */
  @Nullable Channel find(@Nullable SocketAddress remote, @Nullable SocketAddress local) {
    return open.get(new AddressPair(remote, local));
  }

  /** How many accepted channels are open. */
  int size() {
    return open.size();
  }

  private record AddressPair(@Nullable SocketAddress remote, @Nullable SocketAddress local) {
    boolean complete() {
      return remote != null && local != null;
    }
  }
}
