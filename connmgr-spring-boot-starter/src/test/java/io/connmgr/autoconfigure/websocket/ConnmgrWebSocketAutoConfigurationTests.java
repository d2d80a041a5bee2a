package io.connmgr.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.websocket.ConnectionManagerWebSocketHandlerDecoratorFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.socket.WebSocketHandler;

class ConnmgrWebSocketAutoConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ConnmgrAutoConfiguration.class, ConnmgrWebSocketAutoConfiguration.class));

  @Test
  void providesTheStandardResolverAndTheDecoratorFactory() {
    runner.run(
        context ->
            assertThat(context)
                .hasSingleBean(PeerIdentityResolver.class)
                .hasSingleBean(ConnectionManagerWebSocketHandlerDecoratorFactory.class));
  }

  @Test
  void anApplicationsResolverWins() {
    PeerIdentityResolver own = handshake -> PeerId.of("always-me");
    runner
        .withBean("ownResolver", PeerIdentityResolver.class, () -> own)
        .run(context -> assertThat(context.getBean(PeerIdentityResolver.class)).isSameAs(own));
  }

  @Test
  void backsOffWithoutSpringWebSocket() {
    runner
        .withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(PeerIdentityResolver.class)
                    .doesNotHaveBean(ConnectionManagerWebSocketHandlerDecoratorFactory.class)
                    .hasNotFailed());
  }

  @Test
  void backsOffWhenConnmgrIsDisabled() {
    runner
        .withPropertyValues("connmgr.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(ConnectionManagerWebSocketHandlerDecoratorFactory.class));
  }
}
