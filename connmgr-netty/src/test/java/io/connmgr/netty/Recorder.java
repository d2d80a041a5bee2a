package io.connmgr.netty;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The application's handler in tests: records what reached it. */
@Sharable
class Recorder extends ChannelInboundHandlerAdapter {

  final AtomicInteger active = new AtomicInteger();
  final List<Object> events = new CopyOnWriteArrayList<>();

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    active.incrementAndGet();
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    events.add(evt);
    ctx.fireUserEventTriggered(evt);
  }
}
