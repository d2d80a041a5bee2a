package io.connmgr.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;

/**
 * Closes a channel with a reason: an HTTP/2 connection gets a GOAWAY carrying the reason as its
 * debug data first, and closes {@value #GOAWAY_LINGER_MILLIS} ms later (or when the peer closes, as
 * gRPC clients do once their calls ended), so the peer reads the GOAWAY rather than a reset; any
 * other channel has no place for a reason and is just closed.
 */
final class ChannelGoodbye {

  /** How long an HTTP/2 channel stays open after its GOAWAY, for the peer to read it. */
  static final long GOAWAY_LINGER_MILLIS = 1_000;

  private static final boolean HTTP2 = http2OnClasspath();

  private ChannelGoodbye() {}

  /** Sends the GOAWAY if the pipeline speaks HTTP/2, then closes; call on the event loop. */
  static void close(ChannelHandlerContext ctx, String reason) {
    ChannelFuture goAway = HTTP2 && ctx.channel().isActive() ? Http2GoAway.send(ctx, reason) : null;
    if (goAway == null) {
      ctx.close();
      return;
    }
    goAway.addListener(
        sent -> {
          if (!sent.isSuccess()) {
            ctx.close();
          }
        });
    ctx.executor()
        .schedule(
            () -> {
              ctx.close();
            },
            GOAWAY_LINGER_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  private static boolean http2OnClasspath() {
    try {
      Class.forName(
          "io.netty.handler.codec.http2.Http2ConnectionHandler",
          false,
          ChannelGoodbye.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
