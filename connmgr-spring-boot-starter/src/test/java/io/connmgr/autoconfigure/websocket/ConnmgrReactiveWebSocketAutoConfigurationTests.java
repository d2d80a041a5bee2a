package io.connmgr.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.websocket.ConnectionManagerWebSocketHandlerDecoratorFactory;
import io.connmgr.websocket.reactive.ReactiveWebSocketHandlerDecorator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.reactive.socket.WebSocketHandler;

class ConnmgrReactiveWebSocketAutoConfigurationTests {

  private static final AutoConfigurations BOTH =
      AutoConfigurations.of(
          ConnmgrAutoConfiguration.class,
          ConnmgrWebSocketAutoConfiguration.class,
          ConnmgrReactiveWebSocketAutoConfiguration.class);

  private final ReactiveWebApplicationContextRunner reactive =
      new ReactiveWebApplicationContextRunner().withConfiguration(BOTH);

  @Test
  void aReactiveApplicationGetsTheWebFluxAdapterAndNotTheServletOne() {
    reactive.run(
        context ->
            assertThat(context)
                .hasSingleBean(ReactiveWebSocketHandlerDecorator.class)
                .hasSingleBean(PeerIdentityResolver.class)
                .doesNotHaveBean(ConnectionManagerWebSocketHandlerDecoratorFactory.class));
  }

  @Test
  void aServletApplicationGetsTheServletAdapterAndNotTheWebFluxOne() {
    new WebApplicationContextRunner()
        .withConfiguration(BOTH)
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(ConnectionManagerWebSocketHandlerDecoratorFactory.class)
                    .doesNotHaveBean(ReactiveWebSocketHandlerDecorator.class));
  }

  @Test
  void anApplicationsResolverWins() {
    PeerIdentityResolver own = handshake -> PeerId.of("always-me");
    reactive
        .withBean("ownResolver", PeerIdentityResolver.class, () -> own)
        .run(context -> assertThat(context.getBean(PeerIdentityResolver.class)).isSameAs(own));
  }

  @Test
  void backsOffWithoutWebFlux() {
    reactive
        .withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(ReactiveWebSocketHandlerDecorator.class)
                    .hasNotFailed());
  }

  @Test
  void backsOffWhenConnmgrIsDisabled() {
    reactive
        .withPropertyValues("connmgr.enabled=false")
        .run(
            context ->
                assertThat(context).doesNotHaveBean(ReactiveWebSocketHandlerDecorator.class));
  }
}
