package io.connmgr.websocket.reactive;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.PeerIdentityResolver;
import org.springframework.web.reactive.socket.WebSocketHandler;

/**
 * Wraps reactive WebSocket handlers in a {@link ConnectionManagerReactiveWebSocketHandler}: map
 * {@code decorator.decorate(handler)} instead of {@code handler} in the application's {@code
 * SimpleUrlHandlerMapping}.
 */
public class ReactiveWebSocketHandlerDecorator {

  private final ConnectionManager manager;
  private final PeerIdentityResolver resolver;

  /** A decorator for {@code manager}, naming peers with {@code resolver}. */
  public ReactiveWebSocketHandlerDecorator(
      ConnectionManager manager, PeerIdentityResolver resolver) {
    this.manager = manager;
    this.resolver = resolver;
  }

  /** Decorates a server-side handler: its sessions are inbound connections. */
  public WebSocketHandler decorate(WebSocketHandler handler) {
    return decorate(handler, Direction.INBOUND);
  }

  /** Decorates a handler whose sessions have the given direction (outbound for a client). */
  public WebSocketHandler decorate(WebSocketHandler handler, Direction direction) {
    return new ConnectionManagerReactiveWebSocketHandler(handler, manager, resolver, direction);
  }
}
