package io.connmgr.autoconfigure.websocket;

import io.connmgr.ConnectionManager;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.websocket.ConnectionManagerWebSocketHandlerDecoratorFactory;
import io.connmgr.websocket.WebSocketPeerIdResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.web.socket.WebSocketHandler;

/**
 * Auto-configures the WebSocket adapter when {@code spring-websocket} is present: a {@link
 * WebSocketPeerIdResolver} (unless the application declares one) and the decorator factory that
 * registers sessions with the manager. Not in a reactive web application, which gets {@link
 * ConnmgrReactiveWebSocketAutoConfiguration} instead.
 */
@AutoConfiguration(after = ConnmgrAutoConfiguration.class)
@ConditionalOnClass(WebSocketHandler.class)
@ConditionalOnBean(ConnectionManager.class)
@Conditional(OnServletOrNoWebApplicationCondition.class)
public final class ConnmgrWebSocketAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  WebSocketPeerIdResolver webSocketPeerIdResolver() {
    return WebSocketPeerIdResolver.standard();
  }

  @Bean
  @ConditionalOnMissingBean
  ConnectionManagerWebSocketHandlerDecoratorFactory connmgrWebSocketHandlerDecoratorFactory(
      ConnectionManager connectionManager, WebSocketPeerIdResolver webSocketPeerIdResolver) {
    return new ConnectionManagerWebSocketHandlerDecoratorFactory(connectionManager,
        webSocketPeerIdResolver);
  }
}
