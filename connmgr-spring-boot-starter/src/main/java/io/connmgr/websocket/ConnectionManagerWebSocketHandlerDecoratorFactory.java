package io.connmgr.websocket;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.PeerIdentityResolver;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

/**
 * Wraps WebSocket handlers in a {@link ConnectionManagerWebSocketHandler}. Use it on a handler you
 * register ({@code registry.addHandler(factory.decorate(handler), "/ws")}), or add it to a STOMP
 * transport ({@code registration.addDecoratorFactory(factory)}).
 */
public class ConnectionManagerWebSocketHandlerDecoratorFactory
    implements WebSocketHandlerDecoratorFactory {

  private final ConnectionManager manager;
  private final PeerIdentityResolver resolver;

  /** A factory for {@code manager}, naming peers with {@code resolver}. */
  public ConnectionManagerWebSocketHandlerDecoratorFactory(
      ConnectionManager manager, PeerIdentityResolver resolver) {
    this.manager = manager;
    this.resolver = resolver;
  }

  /** Decorates a server-side handler: its sessions are inbound connections. */
  @Override
  public WebSocketHandler decorate(WebSocketHandler handler) {
    return decorate(handler, Direction.INBOUND);
  }

  /** Decorates a handler whose sessions have the given direction (outbound for a client). */
  public WebSocketHandler decorate(WebSocketHandler handler, Direction direction) {
    return new ConnectionManagerWebSocketHandler(handler, manager, resolver, direction);
  }
}
