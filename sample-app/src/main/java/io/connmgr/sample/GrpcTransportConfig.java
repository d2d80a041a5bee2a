package io.connmgr.sample;

import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.grpc.GrpcConnections;
import java.net.InetSocketAddress;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's second transport: Spring gRPC's Netty server on its own port ({@code
 * spring.grpc.server.port}) with the {@link BlockService}, put under the same connection manager by
 * the starter, and the gRPC half of the swarm.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GrpcSampleProperties.class)
class GrpcTransportConfig {

  @Bean
  BlockService blockService(GrpcSampleProperties properties) {
    return new BlockService(properties);
  }

  @Bean
  GrpcSwarm grpcSwarm(GrpcSampleProperties properties) {
    return new GrpcSwarm(properties);
  }

  /**
   * Names gRPC peers by their remote port: the whole swarm runs on this host, so the host alone
   * would make it one peer. Unverified, as any claim is; a real node would use TLS client
   * certificates, which the standard resolver reads. Other transports get the standard answer.
   */
  @Bean
  PeerIdentityResolver peerIdentityResolver() {
    PeerIdentityResolver standard = PeerIdentityResolver.standard();
    return handshake -> {
      if (GrpcConnections.TRANSPORT.equals(handshake.transport())
          && handshake.peerCertificates().isEmpty()
          && handshake.remoteAddress() instanceof InetSocketAddress inet) {
        return PeerId.unverified("grpc-" + inet.getPort());
      }
      return standard.resolve(handshake);
    };
  }
}
