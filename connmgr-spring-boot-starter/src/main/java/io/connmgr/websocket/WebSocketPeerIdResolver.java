package io.connmgr.websocket;

import io.connmgr.PeerId;
import java.security.Principal;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Names the peer of a WebSocket session. Declare a bean of this type to replace the {@link
 * #standard() standard} resolver: the authenticated principal's name, else the {@code peer}
 * query parameter of the handshake URI, else the session id. A candidate that is not a valid
 * {@link PeerId} (blank, too long, control characters) is passed over.
 */
@FunctionalInterface
public interface WebSocketPeerIdResolver {

  /** The query parameter the standard resolver reads. */
  String PEER_PARAMETER = "peer";

  /** The peer of {@code session}; called once, when the session opens. */
  PeerId resolve(WebSocketSession session);

  /** The principal's name, else the {@code peer} query parameter, else the session id. */
  static WebSocketPeerIdResolver standard() {
    return session -> {
      Principal principal = session.getPrincipal();
      if (principal != null && valid(principal.getName())) {
        return PeerId.of(principal.getName());
      }
      String parameter = peerParameter(session);
      if (parameter != null && valid(parameter)) {
        return PeerId.of(parameter);
      }
      return PeerId.of(session.getId());
    };
  }

  private static @Nullable String peerParameter(WebSocketSession session) {
    if (session.getUri() == null) {
      return null;
    }
    try {
      List<String> values = UriComponentsBuilder.fromUri(session.getUri()).build(true)
          .getQueryParams().get(PEER_PARAMETER);
      if (values == null || values.isEmpty() || values.get(0) == null) {
        return null;
      }
      return java.net.URLDecoder.decode(values.get(0), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean valid(@Nullable String candidate) {
    return candidate != null && PeerId.isValid(candidate);
  }
}
