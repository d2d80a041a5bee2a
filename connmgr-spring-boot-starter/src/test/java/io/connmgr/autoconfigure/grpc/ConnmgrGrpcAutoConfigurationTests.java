package io.connmgr.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.grpc.GrpcConnections;
import io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.grpc.server.ServerBuilderCustomizer;

class ConnmgrGrpcAutoConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ConnmgrAutoConfiguration.class, ConnmgrGrpcAutoConfiguration.class));

  @Test
  void providesTheConnectionsTheStandardResolverAndASpringGrpcCustomizer() {
    runner.run(
        context ->
            assertThat(context)
                .hasSingleBean(GrpcConnections.class)
                .hasSingleBean(PeerIdentityResolver.class)
                .hasBean("connmgrGrpcServerBuilderCustomizer")
                .getBean("connmgrGrpcServerBuilderCustomizer")
                .isInstanceOf(ServerBuilderCustomizer.class));
  }

  @Test
  void anApplicationsResolverWins() {
    PeerIdentityResolver own = handshake -> PeerId.of("always-me");
    runner
        .withBean("ownResolver", PeerIdentityResolver.class, () -> own)
        .run(context -> assertThat(context.getBean(PeerIdentityResolver.class)).isSameAs(own));
  }

  @Test
  void backsOffWithoutGrpcNetty() {
    runner
        .withClassLoader(new FilteredClassLoader(NettyServerBuilder.class))
        .run(context -> assertThat(context).doesNotHaveBean(GrpcConnections.class).hasNotFailed());
  }

  @Test
  void backsOffWhenConnmgrIsDisabled() {
    runner
        .withPropertyValues("connmgr.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(GrpcConnections.class));
  }
}
