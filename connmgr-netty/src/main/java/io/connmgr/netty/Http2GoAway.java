package io.connmgr.netty;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import org.jspecify.annotations.Nullable;

/** Sends an HTTP/2 GOAWAY; loaded only when {@code netty-codec-http2} is on the classpath. */
final class Http2GoAway {

  /** The most debug data a GOAWAY carries here, in bytes. */
  static final int MAX_DEBUG_BYTES = 1_024;

  private Http2GoAway() {}

  /**
   * Writes and flushes a GOAWAY (NO_ERROR, the last stream the peer opened, {@code reason} as debug
   * data) if the pipeline has an HTTP/2 connection handler; null if it has none.
   */
  static @Nullable ChannelFuture send(ChannelHandlerContext ctx, String reason) {
    Http2ConnectionHandler http2 = ctx.pipeline().get(Http2ConnectionHandler.class);
    if (http2 == null) {
      return null;
    }
    ChannelHandlerContext http2Ctx = ctx.pipeline().context(http2);
    int lastStream = http2.connection().remote().lastStreamCreated();
    String debug = fit(reason);
    ChannelFuture sent =
        http2.goAway(
            http2Ctx,
            lastStream,
            Http2Error.NO_ERROR.code(),
            ByteBufUtil.writeUtf8(ctx.alloc(), debug),
            http2Ctx.newPromise());
    http2Ctx.flush();
    return sent;
  }

  /** The reason, cut (never inside a surrogate pair) so its UTF-8 fits {@link #MAX_DEBUG_BYTES}. */
  static String fit(String reason) {
    int max = MAX_DEBUG_BYTES / 3;
    if (reason.length() <= max) {
      return reason;
    }
    int end = Character.isHighSurrogate(reason.charAt(max - 1)) ? max - 1 : max;
    return reason.substring(0, end);
  }
}
