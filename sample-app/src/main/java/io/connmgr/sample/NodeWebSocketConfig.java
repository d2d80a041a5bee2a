package io.connmgr.sample;

import io.connmgr.websocket.ConnectionManagerWebSocketHandlerDecoratorFactory;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Serves the node at {@code /p2p}: the handler is wrapped by the starter's decorator, so every
 * session is a managed inbound connection named by the starter's identity resolver (a swarm peer by
 * the principal its token authenticated; a client without one by the {@code ?peer=} it claims, as
 * an unverified id), and sessions the manager evicts are closed with status 1008 and the eviction's
 * reason.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class NodeWebSocketConfig implements WebSocketConfigurer {

  /** The endpoint's path. */
  public static final String PATH = "/p2p";

  private final ConnectionManagerWebSocketHandlerDecoratorFactory decorator;
  private final NodeWebSocketHandler handler;

  NodeWebSocketConfig(
      ConnectionManagerWebSocketHandlerDecoratorFactory decorator, NodeWebSocketHandler handler) {
    this.decorator = decorator;
    this.handler = handler;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(decorator.decorate(handler), PATH);
  }

  @Bean
  static NodeWebSocketHandler nodeWebSocketHandler(List<ProtocolHandler> handlers) {
    return new NodeWebSocketHandler(handlers);
  }
}
