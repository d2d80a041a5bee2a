package io.connmgr.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.PeerId;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.websocket.ConnectionManagerWebSocketHandlerDecoratorFactory;
import io.connmgr.websocket.WebSocketPeerIdResolver;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.socket.WebSocketHandler;

class ConnmgrWebSocketAutoConfigurationTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class,
          ConnmgrWebSocketAutoConfiguration.class));

  @Test
  void providesTheStandardResolverAndTheDecoratorFactory() {
    runner.run(context -> assertThat(context).hasSingleBean(WebSocketPeerIdResolver.class)
        .hasSingleBean(ConnectionManagerWebSocketHandlerDecoratorFactory.class));
  }

  @Test
  void anApplicationsResolverWins() {
    WebSocketPeerIdResolver own = session -> PeerId.of("always-me");
    runner.withBean("ownResolver", WebSocketPeerIdResolver.class, () -> own)
        .run(context -> assertThat(context.getBean(WebSocketPeerIdResolver.class)).isSameAs(own));
  }

  @Test
  void backsOffWithoutSpringWebSocket() {
    runner.withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
        .run(context -> assertThat(context).doesNotHaveBean(WebSocketPeerIdResolver.class)
            .doesNotHaveBean(ConnectionManagerWebSocketHandlerDecoratorFactory.class)
            .hasNotFailed());
  }

  @Test
  void backsOffWhenConnmgrIsDisabled() {
    runner.withPropertyValues("connmgr.enabled=false").run(context -> assertThat(context)
        .doesNotHaveBean(ConnectionManagerWebSocketHandlerDecoratorFactory.class));
  }
}
