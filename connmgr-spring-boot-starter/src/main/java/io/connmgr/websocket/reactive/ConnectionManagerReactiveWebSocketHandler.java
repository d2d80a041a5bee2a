package io.connmgr.websocket.reactive;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionRefusedException;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.Handshake;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.Trigger;
import io.connmgr.websocket.CloseReasons;
import io.connmgr.websocket.ConnectionManagerWebSocketHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Registers each session of the reactive {@link WebSocketHandler} it decorates as a connection of a
 * {@link ConnectionManager} before the handler sees it, and reports its end. As the servlet adapter
 * does: an evicted session is closed with 1008 (policy violation) and the eviction's reason (1001,
 * going away, at shutdown); a refused session never reaches the handler and is closed with 1008 and
 * a reason that starts with {@value ConnectionManagerWebSocketHandler#REFUSED_PREFIX}; a session
 * whose peer has no acceptable id is closed with 1011. The peer id comes from a {@link
 * PeerIdentityResolver}: the handshake's principal (verified), else the {@code peer} query
 * parameter (unverified), else the remote host (unverified).
 */
public class ConnectionManagerReactiveWebSocketHandler implements WebSocketHandler {

  /** The transport name handed to the resolver: {@value}. */
  public static final String TRANSPORT = "websocket";

  /** The query parameter read as the claimed peer id: {@value}. */
  public static final String PEER_PARAMETER = "peer";

  /** The connection attachment naming the transport, for consoles. */
  private static final AttachmentKey<String> TRANSPORT_LABEL =
      AttachmentKey.of("transport", () -> TRANSPORT);

  private static final Log LOG = LogFactory.getLog(ConnectionManagerReactiveWebSocketHandler.class);

  private final WebSocketHandler delegate;
  private final ConnectionManager manager;
  private final PeerIdentityResolver resolver;
  private final Direction direction;

  /**
   * Decorates {@code delegate}.
   *
   * @param direction {@link Direction#INBOUND} for server sessions, {@link Direction#OUTBOUND} for
   *     sessions this application opened as a client
   */
  public ConnectionManagerReactiveWebSocketHandler(
      WebSocketHandler delegate,
      ConnectionManager manager,
      PeerIdentityResolver resolver,
      Direction direction) {
    this.delegate = delegate;
    this.manager = manager;
    this.resolver = resolver;
    this.direction = direction;
  }

  @Override
  public List<String> getSubProtocols() {
    return delegate.getSubProtocols();
  }

  @Override
  public Mono<Void> handle(WebSocketSession session) {
    return session
        .getHandshakeInfo()
        .getPrincipal()
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(principal -> admit(session, principal.orElse(null)));
  }

  private Mono<Void> admit(WebSocketSession session, @Nullable Principal principal) {
    HandshakeInfo info = session.getHandshakeInfo();
    ManagedConnection connection;
    try {
      PeerId peer =
          resolver.resolve(
              new Handshake(
                  TRANSPORT,
                  principal,
                  List.of(),
                  claimedId(info.getUri()),
                  info.getRemoteAddress()));
      connection =
          manager.connectionOpened(
              peer,
              direction,
              label(info.getRemoteAddress()),
              why -> session.close(closeStatus(why)).subscribe());
    } catch (ConnectionRefusedException e) {
      LOG.debug("connmgr refused WebSocket session " + session.getId() + ": " + e.getMessage());
      return session.close(
          CloseStatus.POLICY_VIOLATION.withReason(
              CloseReasons.fit(ConnectionManagerWebSocketHandler.refusalReason(e))));
    } catch (IllegalArgumentException e) {
      // the client's doing (an unacceptable claimed id, say): one line per session, not a warning
      LOG.debug("connmgr found no peer id for WebSocket session " + session.getId() + ": " + e);
      return closeAsServerError(session, e);
    } catch (RuntimeException e) {
      LOG.warn(
          "connmgr could not register WebSocket session "
              + session.getId()
              + ": "
              + e.getMessage());
      return closeAsServerError(session, e);
    }
    connection.state(TRANSPORT_LABEL);
    session.getAttributes().put(ReactiveWebSocketConnections.ATTRIBUTE, connection);
    session.closeStatus().doFinally(signal -> connection.closed()).subscribe();
    return delegate.handle(session).doFinally(signal -> connection.closed());
  }

  private static Mono<Void> closeAsServerError(WebSocketSession session, RuntimeException e) {
    return session.close(
        CloseStatus.SERVER_ERROR.withReason(
            CloseReasons.fit(ConnectionManagerWebSocketHandler.REFUSED_PREFIX + e.getMessage())));
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

  private static @Nullable String claimedId(URI uri) {
    try {
      String raw =
          UriComponentsBuilder.fromUri(uri).build(true).getQueryParams().getFirst(PEER_PARAMETER);
      return raw == null ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String label(@Nullable InetSocketAddress address) {
    return address == null ? "unknown" : address.getHostString() + ":" + address.getPort();
  }
}
