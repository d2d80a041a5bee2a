package io.connmgr.netty;

import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.security.Principal;
import java.util.Optional;

/**
 * The channel attributes the Netty adapter reads and writes, and the user event an application's
 * own handshake fires when it knows its peer.
 *
 * <pre>{@code
 * // in the application's handshake handler, once the peer proved who it is:
 * ctx.channel().attr(NettyConnections.PRINCIPAL).set(() -> "node-7");
 * ctx.pipeline().fireUserEventTriggered(NettyConnections.IDENTIFIED); // from the head
 * }</pre>
 */
public final class NettyConnections {

  /**
   * The name of the connection attachment that holds the transport's name ("netty", "grpc"), for
   * consoles that show connections of several transports side by side: {@value}.
   */
  public static final String TRANSPORT_ATTACHMENT = "transport";

  /** The managed connection of a channel, set once the manager accepted it. */
  public static final AttributeKey<ManagedConnection> CONNECTION =
      AttributeKey.valueOf(NettyConnections.class, "connection");

  /** The managed stream of an HTTP/2 child channel, set once its headers arrived. */
  public static final AttributeKey<ManagedStream> STREAM =
      AttributeKey.valueOf(NettyConnections.class, "stream");

  /**
   * The peer the application's own handshake authenticated. Only set it for a peer that proved its
   * identity: the standard resolver turns it into a verified id.
   */
  public static final AttributeKey<Principal> PRINCIPAL =
      AttributeKey.valueOf(NettyConnections.class, "principal");

  /** The id the peer claims but did not prove; the standard resolver makes it unverified. */
  public static final AttributeKey<String> CLAIMED_ID =
      AttributeKey.valueOf(NettyConnections.class, "claimedId");

  /**
   * The user event that tells a {@link ConnectionManagerHandler} built with {@code
   * awaitIdentification()} that the application's handshake is over and {@link #PRINCIPAL} or
   * {@link #CLAIMED_ID} is set: the channel is reported to the manager then. Fire it from the
   * pipeline's head ({@code ctx.pipeline().fireUserEventTriggered}) so it passes that handler.
   */
  public static final Object IDENTIFIED =
      new Object() {
        @Override
        public String toString() {
          return "connmgr: peer identified";
        }
      };

  private NettyConnections() {}

  /** The channel's managed connection; empty before admission, after a refusal or a close. */
  public static Optional<ManagedConnection> of(Channel channel) {
    return Optional.ofNullable(channel.attr(CONNECTION).get());
  }

  /**
   * The channel's managed connection.
   *
   * @throws IllegalStateException if the channel was not (or not yet) admitted by a {@link
   *     ConnectionManagerHandler}
   */
  public static ManagedConnection require(Channel channel) {
    return of(channel)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "channel "
                        + channel.id()
                        + " has no managed connection; add a ConnectionManagerHandler to its pipeline"));
  }
}
