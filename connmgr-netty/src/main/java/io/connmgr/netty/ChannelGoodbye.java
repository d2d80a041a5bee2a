package io.connmgr.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes a channel with a reason: an HTTP/2 connection gets a GOAWAY carrying the reason as its
 * debug data first; any other channel has no place for a reason and is just closed.
 */
final class ChannelGoodbye {

  /** How long a GOAWAY may take to leave before the channel closes anyway. */
  static final long GOAWAY_TIMEOUT_MILLIS = 1_000;

  private static final boolean HTTP2 = http2OnClasspath();

  private ChannelGoodbye() {}

  /** Sends the GOAWAY if the pipeline speaks HTTP/2, then closes; call on the event loop. */
  static void close(ChannelHandlerContext ctx, String reason) {
    ChannelFuture goAway = HTTP2 && ctx.channel().isActive() ? Http2GoAway.send(ctx, reason) : null;
    if (goAway == null) {
      ctx.close();
      return;
    }
    goAway.addListener(sent -> ctx.close());
    ctx.executor().schedule(() -> closeIfStuck(ctx, goAway), GOAWAY_TIMEOUT_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  private static void closeIfStuck(ChannelHandlerContext ctx, @Nullable ChannelFuture goAway) {
    if (goAway != null && !goAway.isDone()) {
      ctx.close();
    }
  }

  private static boolean http2OnClasspath() {
    try {
      Class.forName("io.netty.handler.codec.http2.Http2ConnectionHandler", false,
          ChannelGoodbye.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
