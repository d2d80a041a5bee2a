package io.connmgr.autoconfigure.websocket;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.autoconfigure.PeerIdentityResolverConfiguration;
import io.connmgr.websocket.ConnectionManagerWebSocketHandlerDecoratorFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.web.socket.WebSocketHandler;

/**
 * Auto-configures the WebSocket adapter when {@code spring-websocket} is present: the decorator
 * factory that registers sessions with the manager, naming peers with the context's {@link
 * PeerIdentityResolver} (the standard one unless the application declares one). Not in a reactive
 * web application, which gets {@link ConnmgrReactiveWebSocketAutoConfiguration} instead.
 */
@AutoConfiguration(after = ConnmgrAutoConfiguration.class)
@ConditionalOnClass(WebSocketHandler.class)
@ConditionalOnBean(ConnectionManager.class)
@Conditional(OnServletOrNoWebApplicationCondition.class)
@Import(PeerIdentityResolverConfiguration.class)
public final class ConnmgrWebSocketAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ConnectionManagerWebSocketHandlerDecoratorFactory connmgrWebSocketHandlerDecoratorFactory(
      ConnectionManager connectionManager, PeerIdentityResolver peerIdentityResolver) {
    return new ConnectionManagerWebSocketHandlerDecoratorFactory(
        connectionManager, peerIdentityResolver);
  }
}
