package io.connmgr.grpc;

import io.connmgr.netty.ConnectionEvicted;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Ends every call still open on an evicted gRPC transport with {@code UNAVAILABLE} and the
 * eviction's reason, through grpc's own {@code ServerCall.close} ({@link LiveCalls}), before the
 * transport's GOAWAY and close: so the client sees why, not "network closed", and the server side
 * of each call sees it end (its listener, its {@code Context}). Runs on the channel's event loop,
 * where the {@code ConnectionManagerHandler} fires {@link ConnectionEvicted}.
 */
@Sharable
final class GrpcCallCutter extends ChannelInboundHandlerAdapter {

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ConnectionEvicted evicted) {
      LiveCalls.cutAll(ctx.channel(), evicted.why().reason());
    }
    ctx.fireUserEventTriggered(event);
  }
}
