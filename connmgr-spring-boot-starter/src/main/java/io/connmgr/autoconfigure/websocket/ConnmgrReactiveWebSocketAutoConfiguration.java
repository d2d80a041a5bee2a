package io.connmgr.autoconfigure.websocket;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.autoconfigure.PeerIdentityResolverConfiguration;
import io.connmgr.websocket.reactive.ReactiveWebSocketHandlerDecorator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.socket.WebSocketHandler;

/**
 * Auto-configures the WebFlux WebSocket adapter in a reactive web application: the {@link
 * PeerIdentityResolver} (the standard one unless the application declares one) and the decorator
 * that registers reactive sessions with the manager. A servlet application gets the servlet adapter
 * from {@link ConnmgrWebSocketAutoConfiguration} instead, never both.
 */
@AutoConfiguration(after = ConnmgrAutoConfiguration.class)
@ConditionalOnClass(WebSocketHandler.class)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnBean(ConnectionManager.class)
@Import(PeerIdentityResolverConfiguration.class)
public final class ConnmgrReactiveWebSocketAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ReactiveWebSocketHandlerDecorator connmgrReactiveWebSocketHandlerDecorator(
      ConnectionManager connectionManager, PeerIdentityResolver peerIdentityResolver) {
    return new ReactiveWebSocketHandlerDecorator(connectionManager, peerIdentityResolver);
  }
}
