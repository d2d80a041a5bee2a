package io.connmgr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.PeerScorer;
import io.connmgr.websocket.ConnectionManagerWebSocketHandlerDecoratorFactory;
import io.connmgr.websocket.WebSocketConnections;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real server and real WebSocket clients over loopback: sessions past high water, the low
 * scorers' sessions closed with a policy close status, metrics, the actuator endpoint, health, and
 * a pin through the actuator that keeps a peer across the next round. Rounds come from upkeep every
 * 50 ms; waits are Awaitility's.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "connmgr.low-water=4",
      "connmgr.high-water=6",
      "connmgr.grace-period=0s",
      "connmgr.silence-period=0s",
      "connmgr.maintenance-interval=50ms",
      "connmgr.scorer-budget=2s",
      "management.endpoints.web.exposure.include=connmgr,health,metrics",
      "management.endpoint.connmgr.access=unrestricted",
      "management.endpoint.health.show-details=always",
      "management.endpoint.health.probes.enabled=true",
      "management.endpoint.health.group.readiness.include=readinessState,connmgr"
    })
class WebSocketEndToEndTests {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @LocalServerPort private int port;

  @Autowired private ConnectionManager manager;

  @Autowired private MeterRegistry registry;

  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final StandardWebSocketClient client = new StandardWebSocketClient();
  private final List<Client> clients = new ArrayList<>();

  @BeforeEach
  @AfterEach
  void closeEveryClient() throws IOException {
    for (Client c : clients) {
      if (c.session.isOpen()) {
        c.session.close();
      }
    }
    clients.clear();
    await().atMost(WAIT).until(() -> manager.connectionCount() == 0);
    for (String peer : new String[] {"low-pinned"}) {
      manager.unpin(PeerId.of(peer));
    }
  }

  @Test
  void sessionsOfTheLowScorersAreClosedWithThePolicyStatusOnceAboveHighWater() throws Exception {
    double watermarkEvictionsBefore = evictions("watermark");
    List<Client> keep = open("keep-0", "keep-1", "keep-2", "keep-3");
    List<Client> low = open("low-0", "low-1", "low-2");

    for (Client c : low) {
      CloseStatus status = c.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(status.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
      assertThat(status.getReason())
          .startsWith("above high water 6; trimming 7 connections")
          .contains("score 0");
    }
    await().atMost(WAIT).until(() -> manager.connectionCount() == 4);
    assertThat(keep).allSatisfy(c -> assertThat(c.session.isOpen()).isTrue());

    // metrics moved
    assertThat(evictions("watermark") - watermarkEvictionsBefore).isEqualTo(3);
    assertThat(registry.get("connmgr.connections").tag("direction", "inbound").gauge().value())
        .isEqualTo(4);
    assertThat(registry.get("connmgr.streams").gauge().value()).isEqualTo(4);
    assertThat(registry.get("connmgr.trim").tag("trigger", "watermark").timer().count())
        .isPositive();
    assertThat(registry.get("connmgr.scorer").tag("scorer", "rank").functionTimer().count())
        .isPositive();
    JsonNode metric = get("/actuator/metrics/connmgr.connections", 200);
    assertThat(metric.path("measurements").path(0).path("value").asDouble()).isEqualTo(4.0);

    // the actuator summary
    JsonNode summary = get("/actuator/connmgr", 200);
    assertThat(summary.path("counts").path("connections").asInt()).isEqualTo(4);
    assertThat(summary.path("watermarks").path("high").asInt()).isEqualTo(6);
    assertThat(summary.path("lastRound").path("trigger").asString()).isEqualTo("watermark");
    assertThat(summary.path("lowest")).hasSize(4);
    assertThat(summary.path("lowest").path(0).path("breakdown").path("scorer:rank").asDouble())
        .isEqualTo(1000.0);
    List<String> evicted = new ArrayList<>();
    summary.path("recentEvictions").forEach(e -> evicted.add(e.path("peer").asString()));
    assertThat(evicted).contains("low-0", "low-1", "low-2");

    // one peer in full
    JsonNode peer = get("/actuator/connmgr/keep-1", 200);
    assertThat(peer.path("id").asString()).isEqualTo("keep-1");
    JsonNode connection = peer.path("connections").path(0);
    assertThat(connection.path("direction").asString()).isEqualTo("inbound");
    assertThat(connection.path("streams").path(0).path("protocol").asString()).isEqualTo("echo");
    assertThat(connection.path("score").path("breakdown").path("scorer:rank").asDouble())
        .isEqualTo(1000.0);
    assertThat(connection.path("remoteAddress").asString()).startsWith("127.0.0.1:");

    // the sessions still work
    keep.get(0).session.sendMessage(new TextMessage("hello"));
    assertThat(keep.get(0).echoes.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello");
  }

  @Test
  void aPinThroughTheActuatorKeepsAPeerAcrossTheNextRound() throws Exception {
    open("keep-0", "keep-1", "keep-2");
    Client pinned = open("low-pinned").get(0);
    JsonNode pin = post("/actuator/connmgr/low-pinned", "{\"action\":\"pin\"}", 200);
    assertThat(pin.path("pinned").asBoolean()).isTrue();
    assertThat(get("/actuator/connmgr/low-pinned", 200).path("pinned").asBoolean()).isTrue();

    List<Client> low = open("low-a", "low-b", "low-c");
    for (Client c : low) {
      assertThat(c.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS).getCode())
          .isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
    }
    await().atMost(WAIT).until(() -> manager.connectionCount() == 4);
    assertThat(pinned.session.isOpen()).isTrue();
    assertThat(pinned.closed).isNotDone();

    // an operator's eviction closes it, pin or not, and says so
    JsonNode evict = post("/actuator/connmgr/low-pinned", "{\"action\":\"evict\"}", 200);
    assertThat(evict.path("evicted").asInt()).isEqualTo(1);
    CloseStatus status = pinned.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
    assertThat(status.getReason())
        .isEqualTo("evicted by anonymous through the connmgr endpoint"); // no security here
  }

  @Test
  void badRequestsAnswer400Or404WithAMessageAndChangeNothing() throws Exception {
    open("keep-0");
    assertThat(get("/actuator/connmgr/nobody", 404).path("message").asString()).contains("nobody");
    assertThat(get("/actuator/connmgr/" + "x".repeat(300), 400).path("message").asString())
        .contains("invalid peer id");
    assertThat(
            post("/actuator/connmgr/keep-0", "{\"action\":\"explode\"}", 400)
                .path("message")
                .asString())
        .contains("unknown action \"explode\"");
    assertThat(post("/actuator/connmgr", "{\"action\":\"pin\"}", 400).path("message").asString())
        .contains("[trim]");
    assertThat(post("/actuator/connmgr/keep-0", "{}", 400).path("message").asString())
        .contains("missing \"action\"");
    assertThat(manager.isProtected(PeerId.of("keep-0"), null)).isFalse();
    assertThat(manager.connectionCount()).isEqualTo(1);

    JsonNode trim = post("/actuator/connmgr", "{\"action\":\"trim\"}", 200);
    assertThat(trim.path("trigger").asString()).isEqualTo("manual");
    assertThat(trim.path("evicted").asInt()).isZero();
  }

  @Test
  void healthIsUpWithDetailsAndJoinsReadinessButNotLiveness() throws Exception {
    open("keep-0", "keep-1");
    JsonNode health = get("/actuator/health/connmgr", 200);
    assertThat(health.path("status").asString()).isEqualTo("UP");
    assertThat(health.path("details").path("connections").asInt()).isEqualTo(2);
    assertThat(health.path("details").path("highWater").asInt()).isEqualTo(6);
    assertThat(get("/actuator/health/readiness", 200).path("components").has("connmgr")).isTrue();
    assertThat(get("/actuator/health/liveness", 200).path("components").has("connmgr")).isFalse();
  }

  private double evictions(String trigger) {
    return registry.get("connmgr.evictions").tag("trigger", trigger).counter().count();
  }

  private List<Client> open(String... peers) throws Exception {
    List<Client> opened = new ArrayList<>();
    for (String peer : peers) {
      int before = manager.connectionCount();
      Client c = new Client();
      c.session =
          client
              .execute(c, "ws://127.0.0.1:" + port + "/ws?peer=" + peer)
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      opened.add(c);
      clients.add(c);
      // one at a time, so the round sees them in this order
      await().atMost(WAIT).until(() -> manager.connectionCount() > before || c.closed.isDone());
    }
    return opened;
  }

  private JsonNode get(String path, int status) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(status);
    return json.readTree(response.body());
  }

  private JsonNode post(String path, String body, int status) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("POST %s %s: %s", path, body, response.body())
        .isEqualTo(status);
    return json.readTree(response.body());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** A client session that records how it was closed and what it got back. */
  static final class Client extends TextWebSocketHandler {
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    final CompletableFuture<String> echoes = new CompletableFuture<>();
    volatile WebSocketSession session;

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
      echoes.complete(message.getPayload());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
      closed.complete(status);
    }
  }

  /** The server: an echo handler whose sessions are managed, and a scorer by peer name. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableWebSocket
  static class Server {

    /**
     * These tests are about rounds, not identity: the server trusts what each client claims ({@link
     * SpoofedPeerIdTests} is about identity, with the standard resolver).
     */
    @Bean
    PeerIdentityResolver trustingResolver() {
      return handshake -> PeerId.of(java.util.Objects.requireNonNull(handshake.claimedId()));
    }

    @Bean
    PeerScorer rank() {
      return peer -> peer.id().value().startsWith("keep") ? 1000 : 0;
    }

    @Bean
    WebSocketConfigurer echoEndpoint(ConnectionManagerWebSocketHandlerDecoratorFactory connmgr) {
      return registry -> registry.addHandler(connmgr.decorate(new Echo()), "/ws");
    }
  }

  /** Echoes text; each session runs one "echo" stream, opened through its managed connection. */
  static final class Echo extends TextWebSocketHandler {
    private final Map<String, io.connmgr.ManagedStream> streams = new LinkedHashMap<>();

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
      synchronized (streams) {
        streams.put(
            session.getId(),
            WebSocketConnections.require(session).openStream("echo", Direction.INBOUND));
      }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message)
        throws IOException {
      session.sendMessage(new TextMessage(message.getPayload()));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
      synchronized (streams) {
        io.connmgr.ManagedStream stream = streams.remove(session.getId());
        if (stream != null) {
          stream.close();
        }
      }
    }
  }
}
