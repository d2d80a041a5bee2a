package io.connmgr.websocket.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.Trigger;
import io.connmgr.testing.CapturedLog;
import io.connmgr.websocket.CloseReasons;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

class ConnectionManagerReactiveWebSocketHandlerTests {

  private final ConnectionManager cm =
      ConnectionManager.builder().maintenanceInterval(Duration.ZERO).build();
  private final ConnectionManagerReactiveWebSocketHandler handler =
      new ConnectionManagerReactiveWebSocketHandler(
          mock(WebSocketHandler.class), cm, PeerIdentityResolver.standard(), Direction.INBOUND);
  private final CapturedLog logged =
      CapturedLog.of(ConnectionManagerReactiveWebSocketHandler.class);

  @AfterEach
  void release() {
    logged.close();
    cm.close();
  }

  @Test
  void aClientsInvalidIdClaimIsRefusedWithADebugLineNotAWarning() {
    WebSocketSession session = session("ws://localhost/chat?peer=%00");

    handler.handle(session).block(Duration.ofSeconds(10));

    ArgumentCaptor<CloseStatus> status = ArgumentCaptor.forClass(CloseStatus.class);
    verify(session).close(status.capture());
    assertThat(status.getValue().getCode()).isEqualTo(CloseStatus.SERVER_ERROR.getCode());
    assertThat(cm.connectionCount()).isZero();
    assertThat(logged.events()).singleElement().returns(Level.DEBUG, ILoggingEvent::getLevel);
  }

  @Test
  void aSessionTheManagerCannotRegisterIsStillAWarning() {
    cm.close();

    handler.handle(session("ws://localhost/chat?peer=alice")).block(Duration.ofSeconds(10));

    assertThat(logged.events()).singleElement().returns(Level.WARN, ILoggingEvent::getLevel);
  }

  @Test
  void anEvictionClosesWithPolicyViolationAndItsReason() {
    CloseStatus status =
        ConnectionManagerReactiveWebSocketHandler.closeStatus(
            record(Trigger.WATERMARK, "above high water 6"));
    assertThat(status.getCode()).isEqualTo(1008);
    assertThat(status.getReason()).isEqualTo("above high water 6");
  }

  @Test
  void aShutdownClosesWithGoingAway() {
    assertThat(
            ConnectionManagerReactiveWebSocketHandler.closeStatus(
                    record(Trigger.SHUTDOWN, "shutting down"))
                .getCode())
        .isEqualTo(1001);
  }

  @Test
  void aLongReasonIsCutToWhatACloseFrameHolds() {
    String reason = "é".repeat(200);
    String sent =
        ConnectionManagerReactiveWebSocketHandler.closeStatus(record(Trigger.OPERATOR, reason))
            .getReason();
    assertThat(sent).endsWith("...");
    assertThat(sent.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(CloseReasons.MAX_BYTES);
  }

  private static WebSocketSession session(String uri) {
    WebSocketSession session = mock(WebSocketSession.class);
    given(session.getId()).willReturn("s-1");
    given(session.getHandshakeInfo())
        .willReturn(
            new HandshakeInfo(
                URI.create(uri),
                new HttpHeaders(),
                new LinkedMultiValueMap<>(),
                Mono.empty(),
                null,
                new InetSocketAddress("127.0.0.1", 5555),
                Map.of(),
                null));
    given(session.close(any(CloseStatus.class))).willReturn(Mono.empty());
    return session;
  }

  private static EvictionRecord record(Trigger trigger, String reason) {
    return new EvictionRecord(
        Instant.EPOCH, 1, PeerId.of("p"), Direction.INBOUND, trigger, reason, 0, Map.of());
  }
}
