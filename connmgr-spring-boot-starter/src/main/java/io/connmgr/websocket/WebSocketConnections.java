package io.connmgr.websocket;

import io.connmgr.ManagedConnection;
import java.util.Optional;
import org.springframework.web.socket.WebSocketSession;

/**
 * The managed connection of a WebSocket session opened through a {@link
 * ConnectionManagerWebSocketHandler}, so handlers can open streams and take leases on it:
 *
 * <pre>{@code
 * ManagedConnection c = WebSocketConnections.require(session);
 * ManagedStream chat = c.openStream("chat", Direction.INBOUND);
 * Lease upload = c.lease(Duration.ofSeconds(30), LeaseListener.releasing());
 * }</pre>
 */
public final class WebSocketConnections {

  /** The session attribute holding the {@link ManagedConnection}. */
  public static final String ATTRIBUTE = ManagedConnection.class.getName();

  private WebSocketConnections() {}

  /** The session's connection; empty if the session is not managed (or was refused). */
  public static Optional<ManagedConnection> of(WebSocketSession session) {
    return session.getAttributes().get(ATTRIBUTE) instanceof ManagedConnection c
        ? Optional.of(c)
        : Optional.empty();
  }

  /**
   * The session's connection.
   *
   * @throws IllegalStateException if the session was not opened through the connmgr decorator
   */
  public static ManagedConnection require(WebSocketSession session) {
    return of(session)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "WebSocket session "
                        + session.getId()
                        + " is not managed by connmgr; decorate its handler with "
                        + "ConnectionManagerWebSocketHandlerDecoratorFactory"));
  }
}
