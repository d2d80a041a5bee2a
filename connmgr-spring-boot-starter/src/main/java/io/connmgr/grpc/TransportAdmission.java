package io.connmgr.grpc;

import io.connmgr.netty.NettyConnections;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import io.netty.channel.Channel;

/**
 * Reports a gRPC transport to the manager when grpc-netty says it is ready (after TLS, when the
 * client's first SETTINGS arrived): finds its channel and fires {@link NettyConnections#IDENTIFIED}
 * through it, so the connmgr handler resolves the peer (the TLS peer certificate, else the remote
 * host) and admits or refuses it. Tags the transport's attributes with its channel for {@link
 * CallStreams}.
 */
final class TransportAdmission extends ServerTransportFilter {

  private final AcceptedChannels channels;

  TransportAdmission(AcceptedChannels channels) {
    this.channels = channels;
  }

  @Override
  public Attributes transportReady(Attributes attributes) {
    Channel channel =
        channels.find(
            attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
            attributes.get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
    if (channel == null) {
      return attributes;
    }
    channel.pipeline().fireUserEventTriggered(NettyConnections.IDENTIFIED);
    return attributes.toBuilder().set(CallStreams.CHANNEL, channel).build();
  }
}
