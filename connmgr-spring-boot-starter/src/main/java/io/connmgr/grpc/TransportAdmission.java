package io.connmgr.grpc;

import io.connmgr.netty.NettyConnections;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reports a gRPC transport to the manager when grpc-netty says it is ready (after TLS, when the
 * client's first SETTINGS arrived): finds its channel and fires {@link NettyConnections#IDENTIFIED}
 * through it, so the connmgr handler resolves the peer (the TLS peer certificate, else the remote
 * host) and admits or refuses it. Tags the transport's attributes with its channel for {@link
 * CallStreams}. A transport whose channel it cannot find runs unmanaged: counted, and warned of
 * once (under {@link GrpcConnections}' logger, the type applications know).
 */
final class TransportAdmission extends ServerTransportFilter {

  private static final Log LOG = LogFactory.getLog(GrpcConnections.class);

  private final AcceptedChannels channels;
  private final LongAdder unmanaged = new LongAdder();
  private final AtomicBoolean warned = new AtomicBoolean();

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
      unmanaged(attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
      return attributes;
    }
    channel.pipeline().fireUserEventTriggered(NettyConnections.IDENTIFIED);
    return attributes.toBuilder().set(CallStreams.CHANNEL, channel).build();
  }

  /** How many transports ran unmanaged. */
  long unmanagedTransports() {
    return unmanaged.sum();
  }

  private void unmanaged(@Nullable SocketAddress remote) {
    unmanaged.increment();
    if (!warned.getAndSet(true)) {
      LOG.warn(
          "connmgr: the gRPC transport from "
              + remote
              + " is not managed (not counted, under no cap or watermark), nor will be any other"
              + " whose channel GrpcConnections did not accept: its channel factory was replaced"
              + " after GrpcConnections.customize (channelType or channelFactory set later), or"
              + " the server listens on a Unix domain socket, or a protocol negotiator rewrote the"
              + " remote address. Only this first one is logged; GrpcConnections"
              + ".unmanagedTransports() counts them all.");
    }
  }
}
