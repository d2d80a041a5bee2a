package io.connmgr.websocket.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedStream;
import io.connmgr.PeerId;
import io.connmgr.PeerScorer;
import io.connmgr.StreamView;
import io.connmgr.inspect.ConnectionSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A real Reactor Netty server and real reactive WebSocket clients over loopback: the same close
 * codes, reasons, properties and metrics as the servlet adapter. Rounds come from upkeep every 50
 * ms; waits are Awaitility's.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "connmgr.low-water=4",
      "connmgr.high-water=6",
      "connmgr.grace-period=0s",
      "connmgr.silence-period=0s",
      "connmgr.maintenance-interval=50ms",
      "connmgr.admission.max-connections-per-peer=2"
    })
class ReactiveWebSocketEndToEndTests {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The request header the test's stand-in for Spring Security turns into the principal. */
  private static final String AUTHENTICATED_USER = "X-Test-Authenticated-User";

  @LocalServerPort private int port;

  @Autowired private ConnectionManager manager;

  @Autowired private MeterRegistry registry;

  @Autowired private ReactiveWebServerApplicationContext context;

  @Autowired private Echo echo;

  private final ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient();
  private final List<Client> clients = new ArrayList<>();

  @AfterEach
  void closeEveryClient() {
    clients.forEach(Client::close);
    await().atMost(WAIT).until(() -> manager.connectionCount() == 0);
  }

  @Test
  void runsOnReactorNettyAndNamesPeersByTheirClaimAsUnverified() throws Exception {
    assertThat(context.getWebServer().getClass().getName()).contains("Netty");
    Client c = open("keep-0").get(0);
    c.send("hello");
    assertThat(c.echoes.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello");

    ConnectionSnapshot connection = manager.inspect().snapshot().connections().get(0);
    assertThat(connection.peer()).isEqualTo(PeerId.unverified("keep-0"));
    assertThat(connection.direction()).isEqualTo(Direction.INBOUND);
    assertThat(connection.attachments()).containsEntry("transport", "websocket");
    assertThat(connection.remoteAddress()).startsWith("127.0.0.1:");
    assertThat(connection.streams()).extracting(StreamView::protocol).containsExactly("echo");

    c.close();
    await().atMost(WAIT).until(() -> manager.connectionCount() == 0);
  }

  @Test
  void anAuthenticatedPrincipalNamesAVerifiedPeerWhateverTheClientClaims() throws Exception {
    Client c = new Client();
    clients.add(c);
    HttpHeaders headers = new HttpHeaders();
    headers.add(AUTHENTICATED_USER, "alice");
    client
        .execute(URI.create("ws://127.0.0.1:" + port + "/ws?peer=stable-1"), headers, c)
        .subscribe(null, c.closed::completeExceptionally);

    await().atMost(WAIT).until(() -> manager.connectionCount() == 1);
    PeerId peer = manager.inspect().snapshot().connections().get(0).peer();
    assertThat(peer).isEqualTo(PeerId.of("alice"));
    assertThat(peer.isVerified()).isTrue();
  }

  @Test
  void sessionsOfTheLowScorersAreClosedWith1008AndTheRoundsReasonAboveHighWater() throws Exception {
    List<Client> keep = open("keep-0", "keep-1", "keep-2", "keep-3");
    List<Client> low = open("low-0", "low-1", "low-2");

    for (Client c : low) {
      CloseStatus status = c.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(status.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
      assertThat(status.getReason()).startsWith("above high water 6");
    }
    await().atMost(WAIT).until(() -> manager.connectionCount() == 4);
    assertThat(keep).allSatisfy(c -> assertThat(c.closed).isNotDone());
    assertThat(registry.get("connmgr.connections").tag("direction", "inbound").gauge().value())
        .isEqualTo(4);
    assertThat(registry.get("connmgr.evictions").tag("trigger", "watermark").counter().count())
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void aRefusedSessionIsClosedWith1008AndTheRefusalAndNeverReachesTheHandler() throws Exception {
    int before = echo.sessions.get();
    open("greedy", "greedy");
    // open() returns once the manager counts a session; the handler runs a moment later
    int handled = before + 2;
    await().atMost(WAIT).until(() -> echo.sessions.get() == handled);

    Client third = open("greedy").get(0);

    CloseStatus status = third.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
    assertThat(status.getReason()).startsWith("connection refused: ");
    assertThat(echo.sessions).hasValue(handled);
    assertThat(manager.connectionCount()).isEqualTo(2);
    assertThat(
            registry.get("connmgr.refusals").tag("limit", "max_per_peer").functionCounter().count())
        .isEqualTo(1);
  }

  @Test
  void aRecentlyEvictedPeerBackAtHighWaterIsRefusedAndToldWhenToRetry() throws Exception {
    open("fill-0", "fill-1", "fill-2", "fill-3", "fill-4");
    Client churner = open("churner").get(0);
    long id =
        manager
            .inspect()
            .snapshot()
            .peer(io.connmgr.PeerId.unverified("churner"))
            .orElseThrow()
            .connections()
            .get(0)
            .id();
    assertThat(manager.evict(id, "churn test")).isTrue();
    churner.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    open("fill-5"); // six: at high water, not above it, so no round runs

    Client back = open("churner").get(0);

    CloseStatus status = back.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
    assertThat(status.getReason())
        .matches("connection refused: RECENTLY_EVICTED, retry in (29\\.\\d|30\\.0) s: .*");
    assertThat(manager.connectionCount()).isEqualTo(6);
    assertThat(
            registry
                .get("connmgr.refusals")
                .tag("limit", "recently_evicted")
                .functionCounter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anOperatorsEvictionClosesTheSessionWith1008AndItsReason() throws Exception {
    Client c = open("keep-0").get(0);
    long id = manager.inspect().snapshot().connections().get(0).id();

    assertThat(manager.evict(id, "operator: moving you to node 2")).isTrue();

    CloseStatus status = c.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
    assertThat(status.getReason()).isEqualTo("operator: moving you to node 2");
    await().atMost(WAIT).until(() -> manager.connectionCount() == 0);
  }

  private List<Client> open(String... peers) {
    List<Client> opened = new ArrayList<>();
    for (String peer : peers) {
      int before = manager.connectionCount();
      Client c = new Client();
      client
          .execute(URI.create("ws://127.0.0.1:" + port + "/ws?peer=" + peer), c)
          .subscribe(null, c.closed::completeExceptionally);
      opened.add(c);
      clients.add(c);
      // one at a time, so the round sees them in this order
      await().atMost(WAIT).until(() -> manager.connectionCount() > before || c.closed.isDone());
    }
    return opened;
  }

  /** A client session: sends what it is given, keeps what it receives and how it closed. */
  static final class Client implements WebSocketHandler {
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    final BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
    private final Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();
    private final CompletableFuture<WebSocketSession> session = new CompletableFuture<>();

    @Override
    public Mono<Void> handle(WebSocketSession s) {
      session.complete(s);
      s.closeStatus().subscribe(closed::complete);
      Mono<Void> send = s.send(out.asFlux().map(s::textMessage));
      Mono<Void> receive = s.receive().doOnNext(m -> echoes.add(m.getPayloadAsText())).then();
      return Mono.zip(send, receive).then();
    }

    void send(String text) {
      out.tryEmitNext(text);
    }

    void close() {
      session.thenAccept(s -> s.close().subscribe());
    }
  }

  /** The application's handler: echoes, on a stream named "echo". */
  static final class Echo implements WebSocketHandler {
    final AtomicInteger sessions = new AtomicInteger();

    @Override
    public Mono<Void> handle(WebSocketSession session) {
      sessions.incrementAndGet();
      ManagedStream stream =
          ReactiveWebSocketConnections.require(session).openStream("echo", Direction.INBOUND);
      return session
          .send(session.receive().map(m -> session.textMessage(m.getPayloadAsText())))
          .doFinally(signal -> stream.close());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {

    @Bean
    Echo echo() {
      return new Echo();
    }

    @Bean
    HandlerMapping webSocketMapping(ReactiveWebSocketHandlerDecorator connmgr, Echo echo) {
      return new SimpleUrlHandlerMapping(Map.of("/ws", connmgr.decorate(echo)), -1);
    }

    /** A stand-in for an authentication filter: the header names the principal. */
    @Bean
    WebFilter testAuthentication() {
      return (exchange, chain) -> {
        String user = exchange.getRequest().getHeaders().getFirst(AUTHENTICATED_USER);
        if (user == null) {
          return chain.filter(exchange);
        }
        Principal principal = () -> user;
        return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
      };
    }

    @Bean
    PeerScorer rank() {
      return peer -> peer.id().value().contains("keep") ? 1000 : 0;
    }
  }
}
