package io.connmgr.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;

class ConnectionManagerWebSocketHandlerTests {

  private final ConnectionManager cm =
      ConnectionManager.builder().maintenanceInterval(Duration.ZERO).build();
  private final WebSocketHandler delegate = mock(WebSocketHandler.class);
  private final ConnectionManagerWebSocketHandlerDecoratorFactory factory =
      new ConnectionManagerWebSocketHandlerDecoratorFactory(cm, PeerIdentityResolver.standard());

  @AfterEach
  void close() {
    cm.close();
  }

  @Test
  void aSessionBecomesAConnectionBeforeTheHandlerSeesIt() throws Exception {
    WebSocketSession session = session("alice");
    willAnswer(
            invocation -> {
              assertThat(WebSocketConnections.of(session)).isPresent();
              return null;
            })
        .given(delegate)
        .afterConnectionEstablished(session);

    factory.decorate(delegate).afterConnectionEstablished(session);

    verify(delegate).afterConnectionEstablished(session);
    ManagedConnection c = WebSocketConnections.require(session);
    assertThat(c.peer()).isEqualTo(PeerId.unverified("alice"));
    assertThat(c.direction()).isEqualTo(Direction.INBOUND);
    assertThat(c.remoteAddress()).isEqualTo("127.0.0.1:5555");
    assertThat(cm.connectionCount()).isEqualTo(1);
  }

  @Test
  void aSessionsConnectionNamesItsTransportForTheConsole() throws Exception {
    factory.decorate(delegate).afterConnectionEstablished(session("alice"));

    assertThat(cm.inspect().snapshot().connections())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.attachments())
                    .containsExactly(Map.entry("transport", WebSocketHandshakes.TRANSPORT)));
  }

  @Test
  void aClientSideHandlerRegistersOutboundConnections() throws Exception {
    WebSocketSession session = session("server");
    factory.decorate(delegate, Direction.OUTBOUND).afterConnectionEstablished(session);
    assertThat(WebSocketConnections.require(session).direction()).isEqualTo(Direction.OUTBOUND);
  }

  @Test
  void handlersOpenStreamsAndLeasesOnTheSessionsConnection() throws Exception {
    WebSocketSession session = session("bob");
    factory.decorate(delegate).afterConnectionEstablished(session);
    ManagedConnection c = WebSocketConnections.require(session);
    c.openStream("chat", Direction.INBOUND);
    c.lease(Duration.ofSeconds(10), io.connmgr.LeaseListener.releasing());
    assertThat(cm.stats().streamCount()).isEqualTo(1);
    assertThat(cm.stats().activeLeases()).isEqualTo(1);
  }

  @Test
  void anEvictedSessionIsClosedWithPolicyViolationAndTheReason() throws Exception {
    WebSocketSession session = session("carol");
    factory.decorate(delegate).afterConnectionEstablished(session);
    long id = WebSocketConnections.require(session).id();

    assertThat(cm.evict(id, "é".repeat(100))).isTrue();

    ArgumentCaptor<CloseStatus> status = ArgumentCaptor.forClass(CloseStatus.class);
    verify(session).close(status.capture());
    assertThat(status.getValue().getCode()).isEqualTo(1008);
    assertThat(status.getValue().getReason().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(123);
    assertThat(status.getValue().getReason()).startsWith("éé").endsWith("...");
    assertThat(cm.connectionCount()).isZero();
  }

  @Test
  void aCloseAtShutdownSaysGoingAway() throws Exception {
    WebSocketSession session = session("frank");
    factory.decorate(delegate).afterConnectionEstablished(session);

    assertThat(cm.closeAll("server shutting down")).isEqualTo(1);

    verify(session).close(CloseStatus.GOING_AWAY.withReason("server shutting down"));
  }

  @Test
  void theTransportsCloseEndsTheConnection() throws Exception {
    WebSocketSession session = session("dave");
    WebSocketHandler handler = factory.decorate(delegate);
    handler.afterConnectionEstablished(session);
    handler.afterConnectionClosed(session, CloseStatus.NORMAL);
    assertThat(cm.connectionCount()).isZero();
    assertThat(WebSocketConnections.require(session).isOpen()).isFalse();
    verify(delegate).afterConnectionClosed(session, CloseStatus.NORMAL);
  }

  @Test
  void aSessionTheManagerCannotTakeIsClosedAsServerErrorAndNeverReachesTheHandler()
      throws Exception {
    WebSocketSession session = session("erin");
    cm.close();
    WebSocketHandler handler = factory.decorate(delegate);
    handler.afterConnectionEstablished(session);
    handler.afterConnectionClosed(session, CloseStatus.SERVER_ERROR);

    ArgumentCaptor<CloseStatus> status = ArgumentCaptor.forClass(CloseStatus.class);
    verify(session).close(status.capture());
    assertThat(status.getValue().getCode()).isEqualTo(CloseStatus.SERVER_ERROR.getCode());
    assertThat(status.getValue().getReason()).startsWith("connection refused: ");
    verify(delegate, never()).afterConnectionEstablished(any());
    verify(delegate, never()).afterConnectionClosed(any(), any());
    assertThat(WebSocketConnections.of(session)).isEmpty();
  }

  @Test
  void deniedAndCappedSessionsAreClosedAsPolicyViolationNamingTheLimit() throws Exception {
    try (ConnectionManager capped =
        ConnectionManager.builder()
            .maintenanceInterval(Duration.ZERO)
            .maxConnectionsPerPeer(1)
            .deny(PeerId.unverified("troll"))
            .build()) {
      WebSocketHandler handler =
          new ConnectionManagerWebSocketHandlerDecoratorFactory(
                  capped, PeerIdentityResolver.standard())
              .decorate(delegate);
      WebSocketSession troll = session("troll");
      handler.afterConnectionEstablished(troll);
      ArgumentCaptor<CloseStatus> denied = ArgumentCaptor.forClass(CloseStatus.class);
      verify(troll).close(denied.capture());
      assertThat(denied.getValue().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
      assertThat(denied.getValue().getReason())
          .startsWith("connection refused: ")
          .contains("DENIED");

      handler.afterConnectionEstablished(session("grace"));
      WebSocketSession again = session("grace");
      handler.afterConnectionEstablished(again);
      ArgumentCaptor<CloseStatus> capped2 = ArgumentCaptor.forClass(CloseStatus.class);
      verify(again).close(capped2.capture());
      assertThat(capped2.getValue().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
      assertThat(capped2.getValue().getReason()).contains("MAX_PER_PEER");
      assertThat(capped.connectionCount()).isEqualTo(1);
      verify(delegate, never()).afterConnectionEstablished(troll);
      verify(delegate, never()).afterConnectionEstablished(again);
    }
  }

  @Test
  void aRecentlyEvictedPeerRefusedAtHighWaterIsToldTheLimitAndWhenToRetryFirst() throws Exception {
    try (ConnectionManager full =
        ConnectionManager.builder()
            .maintenanceInterval(Duration.ZERO)
            .lowWater(1)
            .highWater(1)
            .gracePeriod(Duration.ZERO)
            .build()) {
      WebSocketHandler handler =
          new ConnectionManagerWebSocketHandlerDecoratorFactory(
                  full, PeerIdentityResolver.standard())
              .decorate(delegate);
      WebSocketSession first = session("churner");
      handler.afterConnectionEstablished(first);
      handler.afterConnectionEstablished(session("valued"));
      full.tagPeer(PeerId.unverified("valued"), "useful", 10);
      full.trim();
      verify(first).close(any(CloseStatus.class));

      WebSocketSession again = session("churner");
      handler.afterConnectionEstablished(again);

      ArgumentCaptor<CloseStatus> refused = ArgumentCaptor.forClass(CloseStatus.class);
      verify(again).close(refused.capture());
      assertThat(refused.getValue().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
      assertThat(refused.getValue().getReason())
          .matches(
              "connection refused: RECENTLY_EVICTED, retry in (29\\.\\d|30\\.0) s: "
                  + "connection from unverified:churner refused.*");
      assertThat(refused.getValue().getReason().getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(123);
      assertThat(full.stats().refusals())
          .containsEntry(io.connmgr.AdmissionLimit.RECENTLY_EVICTED, 1L);
      verify(delegate, never()).afterConnectionEstablished(again);
      // a message already on its way when the session was refused never reaches the handler
      handler.handleMessage(again, new org.springframework.web.socket.TextMessage("late"));
      verify(delegate, never()).handleMessage(any(), any());
    }
  }

  @Test
  void anAuthenticatedPrincipalNamesTheVerifiedPeerWhateverTheClaim() throws Exception {
    WebSocketSession session = session("stable-1");
    given(session.getPrincipal()).willReturn(() -> "alice");
    factory.decorate(delegate).afterConnectionEstablished(session);
    assertThat(WebSocketConnections.require(session).peer()).isEqualTo(PeerId.of("alice"));
  }

  @Test
  void aClaimOfAPinnedPeerIsUnverifiedAndNotProtected() throws Exception {
    cm.pin(PeerId.of("stable-1"));
    WebSocketSession session = session("stable-1");
    factory.decorate(delegate).afterConnectionEstablished(session);
    PeerId peer = WebSocketConnections.require(session).peer();
    assertThat(peer.isVerified()).isFalse();
    assertThat(cm.isProtected(peer, null)).isFalse();
  }

  @Test
  void aSessionTheResolverCannotNameIsRefusedAsPolicyViolation() throws Exception {
    WebSocketSession session = session("x");
    PeerIdentityResolver refusing =
        handshake -> {
          throw new IllegalArgumentException("no token");
        };
    new ConnectionManagerWebSocketHandlerDecoratorFactory(cm, refusing)
        .decorate(delegate)
        .afterConnectionEstablished(session);
    ArgumentCaptor<CloseStatus> status = ArgumentCaptor.forClass(CloseStatus.class);
    verify(session).close(status.capture());
    assertThat(status.getValue().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
    assertThat(status.getValue().getReason()).isEqualTo("connection refused: no token");
    verify(delegate, never()).afterConnectionEstablished(any());
    assertThat(cm.connectionCount()).isZero();
  }

  private static WebSocketSession session(String peer) throws Exception {
    WebSocketSession session = mock(WebSocketSession.class);
    Map<String, Object> attributes = new ConcurrentHashMap<>();
    AtomicBoolean open = new AtomicBoolean(true);
    given(session.getId()).willReturn("s-" + peer);
    given(session.getUri()).willReturn(URI.create("ws://localhost/ws?peer=" + peer));
    given(session.getAttributes()).willReturn(attributes);
    given(session.getRemoteAddress()).willReturn(new InetSocketAddress("127.0.0.1", 5555));
    given(session.isOpen()).willAnswer(invocation -> open.get());
    willAnswer(
            invocation -> {
              open.set(false);
              return null;
            })
        .given(session)
        .close(any(CloseStatus.class));
    return session;
  }
}
