package io.connmgr.websocket;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionRefusedException;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.Trigger;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Registers each WebSocket session of the handler it decorates as a connection of a {@link
 * ConnectionManager}, before the handler sees it, and reports its close. The session's peer is what
 * the {@link PeerIdentityResolver} makes of its handshake ({@link WebSocketHandshakes}): with the
 * standard resolver, the authenticated principal's name, else the claimed {@code ?peer=} id as an
 * unverified id, which no pin, static peer or allow list can match. A session the manager evicts is
 * closed with {@link CloseStatus#POLICY_VIOLATION} (1008) whose reason is the eviction's, cut to
 * the 123 bytes a close frame allows ({@link CloseStatus#GOING_AWAY} when the manager closes every
 * connection at shutdown). A session the manager refuses never reaches the handler: it is closed
 * with {@link CloseStatus#POLICY_VIOLATION} whose reason names the limit ({@code DENIED}, {@code
 * MAX_PER_PEER}, ...), as is one whose peer the {@link PeerIdentityResolver} cannot name. Not 1013
 * ("try again later") at a cap: RFC 6455 clients such as Tomcat's treat that code as a protocol
 * error and never show the reason. Handlers reach a session's connection through {@link
 * WebSocketConnections}.
 */
public class ConnectionManagerWebSocketHandler extends WebSocketHandlerDecorator {

  /**
   * How the close reason of a refused session starts, so a client can tell a refusal (try elsewhere
   * or later) from an eviction (both close with 1008): {@value}.
   */
  public static final String REFUSED_PREFIX = "connection refused: ";

  private static final Log LOG = LogFactory.getLog(ConnectionManagerWebSocketHandler.class);

  /** The connection attachment naming the transport, for consoles. */
  private static final AttachmentKey<String> TRANSPORT_LABEL =
      AttachmentKey.of("transport", () -> WebSocketHandshakes.TRANSPORT);

  private final ConnectionManager manager;
  private final PeerIdentityResolver resolver;
  private final Direction direction;

  /**
   * Decorates {@code delegate}.
   *
   * @param direction {@link Direction#INBOUND} for server sessions, {@link Direction#OUTBOUND} for
   *     sessions this application opened as a client
   */
  public ConnectionManagerWebSocketHandler(
      WebSocketHandler delegate,
      ConnectionManager manager,
      PeerIdentityResolver resolver,
      Direction direction) {
    super(delegate);
    this.manager = manager;
    this.resolver = resolver;
    this.direction = direction;
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) throws Exception {
    ManagedConnection connection;
    try {
      PeerId peer = resolver.resolve(WebSocketHandshakes.of(session));
      connection =
          manager.connectionOpened(
              peer, direction, remoteAddress(session), why -> close(session, why));
    } catch (ConnectionRefusedException | IllegalArgumentException e) {
      LOG.debug("connmgr refused WebSocket session " + session.getId() + ": " + e.getMessage());
      session.close(CloseStatus.POLICY_VIOLATION.withReason(CloseReasons.fit(refusalReason(e))));
      return;
    } catch (RuntimeException e) {
      LOG.warn(
          "connmgr could not register WebSocket session "
              + session.getId()
              + ": "
              + e.getMessage());
      session.close(
          CloseStatus.SERVER_ERROR.withReason(CloseReasons.fit(REFUSED_PREFIX + e.getMessage())));
      return;
    }
    connection.state(TRANSPORT_LABEL);
    session.getAttributes().put(WebSocketConnections.ATTRIBUTE, connection);
    if (!session.isOpen()) {
      connection.closed();
      return;
    }
    super.afterConnectionEstablished(session);
  }

  /**
   * Hands a message on only for a managed session: a refused session is closing, and a message that
   * was already on its way never reaches the handler (which never saw the session open).
   */
  @Override
  public void handleMessage(WebSocketSession session, WebSocketMessage<?> message)
      throws Exception {
    if (WebSocketConnections.of(session).isPresent()) {
      super.handleMessage(session, message);
    }
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus)
      throws Exception {
    boolean managed = WebSocketConnections.of(session).isPresent();
    WebSocketConnections.of(session).ifPresent(ManagedConnection::closed);
    if (managed) {
      super.afterConnectionClosed(session, closeStatus);
    }
  }

  /**
   * The close reason of a refused session, before the cut to 123 bytes. A refusal that says when to
   * retry (a recently evicted peer's backoff) puts the limit and the time left first, so they
   * survive the 123-byte cut: {@code connection refused: RECENTLY_EVICTED, retry in 20.0 s:
   * connection from ...}.
   */
  public static String refusalReason(RuntimeException e) {
    String wait =
        e instanceof ConnectionRefusedException refused
            ? refused
                .retryAfter()
                .map(
                    d ->
                        refused.limit()
                            + ", retry in "
                            + String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)
                            + ": ")
                .orElse("")
            : "";
    return REFUSED_PREFIX + wait + e.getMessage();
  }

  /**
   * The close status a close by the manager sends, with the record's reason: going away (1001) when
   * the application shuts down, policy violation (1008) for every eviction.
   */
  public static CloseStatus closeStatus(EvictionRecord why) {
    CloseStatus status =
        why.trigger() == Trigger.SHUTDOWN ? CloseStatus.GOING_AWAY : CloseStatus.POLICY_VIOLATION;
    return status.withReason(CloseReasons.fit(why.reason()));
  }

  private static void close(WebSocketSession session, EvictionRecord why) throws IOException {
    if (session.isOpen()) {
      session.close(closeStatus(why));
    }
  }

  private static String remoteAddress(WebSocketSession session) {
    InetSocketAddress address = session.getRemoteAddress();
    return address == null ? "unknown" : address.getHostString() + ":" + address.getPort();
  }
}
