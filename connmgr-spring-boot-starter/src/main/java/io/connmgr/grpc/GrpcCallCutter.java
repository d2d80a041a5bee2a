package io.connmgr.grpc;

import io.connmgr.netty.ConnectionEvicted;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;

/**
 * Ends every call still open on an evicted gRPC transport with {@code UNAVAILABLE} and the
 * eviction's reason, as trailers on each HTTP/2 stream, before the transport's GOAWAY and close: so
 * the client sees why, not "network closed". Runs on the channel's event loop, where the {@code
 * ConnectionManagerHandler} fires {@link ConnectionEvicted}, so its writes never race grpc-netty's.
 */
@Sharable
final class GrpcCallCutter extends ChannelInboundHandlerAdapter {

  /** The gRPC status code the cut calls end with: UNAVAILABLE, "try again elsewhere". */
  static final String UNAVAILABLE = "14";

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Http2Exception {
    if (event instanceof ConnectionEvicted evicted) {
      cut(ctx, evicted.why().reason());
    }
    ctx.fireUserEventTriggered(event);
  }

  private static void cut(ChannelHandlerContext ctx, String reason) throws Http2Exception {
    Http2ConnectionHandler http2 = ctx.pipeline().get(Http2ConnectionHandler.class);
    if (http2 == null) {
      return;
    }
    ChannelHandlerContext http2Ctx = ctx.pipeline().context(http2);
    CharSequence message = percentEncode(reason);
    http2
        .connection()
        .forEachActiveStream(
            stream -> {
              if (stream.state().localSideOpen()) {
                Http2Headers trailers = new DefaultHttp2Headers();
                if (!stream.isHeadersSent()) {
                  trailers.status("200").set("content-type", "application/grpc");
                }
                trailers.set("grpc-status", UNAVAILABLE).set("grpc-message", message);
                http2
                    .encoder()
                    .writeHeaders(http2Ctx, stream.id(), trailers, 0, true, http2Ctx.newPromise());
              }
              return true;
            });
    http2Ctx.flush();
  }

  /** The gRPC wire form of a status message: UTF-8, with '%' and non-printable bytes as %XX. */
  static String percentEncode(String message) {
    StringBuilder out = new StringBuilder();
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      int u = b & 0xff;
      if (u < ' ' || u > '~' || u == '%') {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
      } else {
        out.append((char) u);
      }
    }
    return out.toString();
  }
}
