package io.connmgr.websocket;

import io.connmgr.Handshake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What a WebSocket session's handshake tells about its peer, for a {@link
 * io.connmgr.PeerIdentityResolver}: the principal the HTTP security layer authenticated, the id the
 * client claims in the {@value #PEER_PARAMETER} query parameter, and the remote address.
 */
public final class WebSocketHandshakes {

  /** The query parameter a client claims its peer id in. */
  public static final String PEER_PARAMETER = "peer";

  /** The transport name handshakes carry. */
  public static final String TRANSPORT = "websocket";

  private WebSocketHandshakes() {}

  /** The handshake of {@code session}. */
  public static Handshake of(WebSocketSession session) {
    return new Handshake(
        TRANSPORT,
        session.getPrincipal(),
        List.of(),
        claimedId(session),
        session.getRemoteAddress());
  }

  private static @Nullable String claimedId(WebSocketSession session) {
    if (session.getUri() == null) {
      return null;
    }
    try {
      List<String> values =
          UriComponentsBuilder.fromUri(session.getUri())
              .build(true)
              .getQueryParams()
              .get(PEER_PARAMETER);
      if (values == null || values.isEmpty() || values.get(0) == null) {
        return null;
      }
      return URLDecoder.decode(values.get(0), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null; // a malformed query claims nothing
    }
  }
}
