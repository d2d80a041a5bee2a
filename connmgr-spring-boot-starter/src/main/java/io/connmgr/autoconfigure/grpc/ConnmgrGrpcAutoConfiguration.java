package io.connmgr.autoconfigure.grpc;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.autoconfigure.PeerIdentityResolverConfiguration;
import io.connmgr.grpc.GrpcConnections;
import io.connmgr.netty.ConnectionManagerHandler;
import io.grpc.netty.NettyServerBuilder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * Auto-configures the gRPC adapter when Spring gRPC, grpc-netty and {@code connmgr-netty} are on
 * the classpath: a {@link GrpcConnections} and the {@link ServerBuilderCustomizer} through which
 * Spring gRPC's Netty server factory puts every server it builds under the manager. To leave gRPC
 * unmanaged, exclude this auto-configuration.
 */
@AutoConfiguration(after = ConnmgrAutoConfiguration.class)
@ConditionalOnClass({
  NettyServerBuilder.class,
  ServerBuilderCustomizer.class,
  ConnectionManagerHandler.class
})
@ConditionalOnBean(ConnectionManager.class)
@Import(PeerIdentityResolverConfiguration.class)
public final class ConnmgrGrpcAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  GrpcConnections connmgrGrpcConnections(
      ConnectionManager connectionManager, PeerIdentityResolver peerIdentityResolver) {
    return new GrpcConnections(connectionManager, peerIdentityResolver);
  }

  @Bean
  ServerBuilderCustomizer<NettyServerBuilder> connmgrGrpcServerBuilderCustomizer(
      GrpcConnections connmgrGrpcConnections) {
    return connmgrGrpcConnections::customize;
  }
}
