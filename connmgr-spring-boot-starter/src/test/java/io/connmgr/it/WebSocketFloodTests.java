package io.connmgr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.AdmissionLimit;
import io.connmgr.ConnectionManager;
import io.connmgr.websocket.ConnectionManagerWebSocketHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * One peer floods the node with WebSocket connections over loopback; the per-peer cap admits its
 * share and the adapter closes every other session with a clear status. The figures go to {@code
 * target/websocket-flood.txt}.
 */
@SpringBootTest(
    classes = WebSocketEndToEndTests.Server.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "connmgr.low-water=100",
      "connmgr.high-water=200",
      "connmgr.maintenance-interval=0",
      "connmgr.admission.max-connections-per-peer=5"
    })
class WebSocketFloodTests {

  private static final int FLOOD = 200;

  @LocalServerPort private int port;

  @Autowired private ConnectionManager manager;

  @Autowired private MeterRegistry registry;

  @Test
  void aFloodFromOnePeerIsHeldToThePerPeerCap() throws Exception {
    StandardWebSocketClient client = new StandardWebSocketClient();
    List<WebSocketEndToEndTests.Client> clients = new ArrayList<>();
    List<CompletableFuture<WebSocketSession>> handshakes = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < FLOOD; i++) {
      WebSocketEndToEndTests.Client c = new WebSocketEndToEndTests.Client();
      clients.add(c);
      handshakes.add(client.execute(c, "ws://127.0.0.1:" + port + "/ws?peer=flooder"));
    }
    CompletableFuture.allOf(handshakes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> clients.stream().filter(c -> c.closed.isDone()).count() == FLOOD - 5);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    List<CloseStatus> refused =
        clients.stream().filter(c -> c.closed.isDone()).map(c -> c.closed.join()).toList();
    assertThat(refused).hasSize(FLOOD - 5);
    // every refusal is sent as 1008 naming the limit; on a loaded machine a client may see the
    // socket go before it reads the close frame (1006), which the server cannot prevent
    List<CloseStatus> withReason =
        refused.stream()
            .filter(s -> s.getCode() == CloseStatus.POLICY_VIOLATION.getCode())
            .toList();
    assertThat(refused)
        .allSatisfy(
            s ->
                assertThat(s.getCode())
                    .isIn(
                        CloseStatus.POLICY_VIOLATION.getCode(),
                        CloseStatus.NO_CLOSE_FRAME.getCode()));
    assertThat(withReason)
        .isNotEmpty()
        .allSatisfy(
            s ->
                assertThat(s.getReason())
                    .startsWith(ConnectionManagerWebSocketHandler.REFUSED_PREFIX)
                    .contains("MAX_PER_PEER"));
    assertThat(manager.connectionCount()).isEqualTo(5);
    assertThat(manager.stats().refusals())
        .containsEntry(AdmissionLimit.MAX_PER_PEER, (long) FLOOD - 5);
    double counted =
        registry.get("connmgr.refusals").tag("limit", "max_per_peer").functionCounter().count();
    assertThat(counted).isEqualTo(FLOOD - 5);

    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(
          target.resolve("websocket-flood.txt"),
          String.format(
              "sessions=%d admitted=%d refused=%d refusalMetric=%.0f closedWith1008=%d millis=%d%n",
              FLOOD, manager.connectionCount(), refused.size(), counted, withReason.size(), millis),
          StandardCharsets.UTF_8);
    }
    for (WebSocketEndToEndTests.Client c : clients) {
      if (c.session != null && c.session.isOpen()) {
        c.session.close();
      }
    }
  }
}
