package io.connmgr.websocket.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.PeerId;
import io.connmgr.Trigger;
import io.connmgr.websocket.CloseReasons;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

class ConnectionManagerReactiveWebSocketHandlerTests {

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

  private static EvictionRecord record(Trigger trigger, String reason) {
    return new EvictionRecord(
        Instant.EPOCH, 1, PeerId.of("p"), Direction.INBOUND, trigger, reason, 0, Map.of());
  }
}
