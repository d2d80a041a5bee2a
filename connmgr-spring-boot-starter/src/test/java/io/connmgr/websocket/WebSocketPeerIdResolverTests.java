package io.connmgr.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.net.URI;
import java.security.Principal;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.WebSocketSession;

class WebSocketPeerIdResolverTests {

  private final WebSocketPeerIdResolver resolver = WebSocketPeerIdResolver.standard();

  @Test
  void theAuthenticatedPrincipalComesFirst() {
    WebSocketSession session = session("ws://localhost/ws?peer=param-peer", () -> "alice");
    assertThat(resolver.resolve(session).value()).isEqualTo("alice");
  }

  @Test
  void thenThePeerQueryParameterDecoded() {
    WebSocketSession session = session("ws://localhost/ws?x=1&peer=node%2F7%20b", null);
    assertThat(resolver.resolve(session).value()).isEqualTo("node/7 b");
  }

  @Test
  void thenTheSessionId() {
    assertThat(resolver.resolve(session("ws://localhost/ws", null)).value()).isEqualTo("s-1");
    assertThat(resolver.resolve(session(null, null)).value()).isEqualTo("s-1");
  }

  @Test
  void invalidCandidatesArePassedOver() {
    WebSocketSession session = session("ws://localhost/ws?peer=%20%20", () -> "x".repeat(300));
    assertThat(resolver.resolve(session).value()).isEqualTo("s-1");
  }

  private static WebSocketSession session(String uri, Principal principal) {
    WebSocketSession session = mock(WebSocketSession.class);
    given(session.getId()).willReturn("s-1");
    given(session.getUri()).willReturn(uri == null ? null : URI.create(uri));
    given(session.getPrincipal()).willReturn(principal);
    return session;
  }
}
