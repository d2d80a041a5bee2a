package io.connmgr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.AdmissionLimit;
import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.websocket.ConnectionManagerWebSocketHandlerDecoratorFactory;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The spoofing attack of issue 13, over real loopback WebSocket sessions with the starter's
 * standard identity resolver: 60 unauthenticated sessions claiming {@code stable-1}, a static and
 * so pinned peer, with {@code max-connections-per-peer=2}. The node authenticates peers that have a
 * token (a servlet filter turns {@code Authorization: Bearer} into the request's principal, as any
 * HTTP security layer does); the others are named by what they claim, unverified.
 */
@SpringBootTest(
    classes = SpoofedPeerIdTests.Node.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "connmgr.low-water=5",
      "connmgr.high-water=50",
      "connmgr.grace-period=0s",
      "connmgr.silence-period=0s",
      "connmgr.maintenance-interval=0",
      "connmgr.static-peers=stable-1",
      "connmgr.admission.max-connections=64",
      "connmgr.admission.max-connections-per-peer=2"
    })
class SpoofedPeerIdTests {

  private static final int SPOOFERS = 60;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Map<String, String> TOKENS =
      Map.of("token-of-stable-1", "stable-1", "token-of-alice", "alice");

  @LocalServerPort private int port;

  @Autowired private ConnectionManager manager;

  private final StandardWebSocketClient client = new StandardWebSocketClient();
  private final List<WebSocketEndToEndTests.Client> clients = new ArrayList<>();

  @org.junit.jupiter.api.BeforeAll
  static void freshFigures() throws Exception {
    Files.deleteIfExists(Path.of("target", "spoofing.txt"));
  }

  @AfterEach
  void closeEveryClient() throws Exception {
    for (WebSocketEndToEndTests.Client c : clients) {
      if (c.session != null && c.session.isOpen()) {
        c.session.close();
      }
    }
    await().atMost(WAIT).until(() -> manager.connectionCount() == 0);
  }

  @Test
  void sixtyUnauthenticatedClaimsOfAPinnedPeerShareTwoUnprotectedSlots() throws Exception {
    Flood flood = connect(SPOOFERS, "stable-1", null);

    assertThat(flood.admitted()).isEqualTo(2);
    assertThat(flood.refused()).isEqualTo(SPOOFERS - 2);
    PeerId claimed = PeerId.unverified("stable-1");
    assertThat(connectionsOf(claimed)).isEqualTo(2);
    assertThat(manager.isProtected(claimed, null)).isFalse();
    assertThat(connectionsOf(PeerId.of("stable-1"))).isZero();
    assertThat(manager.isProtected(PeerId.of("stable-1"), ConnectionManager.PIN_TAG)).isTrue();

    Flood others = connect(3, "bob", null);
    assertThat(others.admitted()).as("the total cap is not used up").isEqualTo(2);
    record("without authentication", flood);
  }

  @Test
  void withAuthenticationTheRealPeersKeepTheirPinAndTheirQuota() throws Exception {
    Flood spoofers = connect(SPOOFERS, "alice", null);
    assertThat(spoofers.admitted()).isEqualTo(2);
    assertThat(spoofers.refused()).isEqualTo(SPOOFERS - 2);

    Flood alice = connect(2, "alice", "token-of-alice");
    assertThat(alice.admitted()).as("spoofers filled their own quota, not alice's").isEqualTo(2);
    assertThat(connectionsOf(PeerId.of("alice"))).isEqualTo(2);

    Flood stable = connect(3, "anything", "token-of-stable-1");
    assertThat(stable.admitted()).as("the pinned peer bypasses the per-peer cap").isEqualTo(3);
    assertThat(connectionsOf(PeerId.of("stable-1"))).isEqualTo(3);
    assertThat(manager.trim().skipped().get(io.connmgr.SkipReason.PROTECTED)).isEqualTo(3);
    record("with authentication", spoofers);
  }

  private long connectionsOf(PeerId peer) {
    return manager.inspect().tagInfo(peer).map(t -> t.connections().size()).orElse(0);
  }

  /** What came of a batch of sessions, seen from the node and checked on the clients. */
  private record Flood(int admitted, long refused) {}

  private Flood connect(int sessions, String claim, @Nullable String token) throws Exception {
    long refusedBefore = refusals();
    int openBefore = manager.connectionCount();
    WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
    if (token != null) {
      headers.add("Authorization", "Bearer " + token);
    }
    List<WebSocketEndToEndTests.Client> batch = new ArrayList<>();
    List<CompletableFuture<WebSocketSession>> handshakes = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      WebSocketEndToEndTests.Client c = new WebSocketEndToEndTests.Client();
      batch.add(c);
      handshakes.add(
          client
              .execute(c, headers, URI.create("ws://127.0.0.1:" + port + "/ws?peer=" + claim))
              .thenApply(s -> c.session = s));
    }
    clients.addAll(batch);
    CompletableFuture.allOf(handshakes.toArray(new CompletableFuture[0]))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await()
        .atMost(WAIT)
        .until(
            () -> manager.connectionCount() - openBefore + refusals() - refusedBefore == sessions);
    int admitted = manager.connectionCount() - openBefore;
    long refused = refusals() - refusedBefore;
    await()
        .atMost(WAIT)
        .until(() -> batch.stream().filter(c -> c.closed.isDone()).count() == refused);
    return new Flood(admitted, refused);
  }

  private long refusals() {
    return manager.stats().refusals().values().stream().mapToLong(Long::longValue).sum();
  }

  private void record(String scenario, Flood flood) throws Exception {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(
          target.resolve("spoofing.txt"),
          String.format(
              "%s: sessions=%d" + " admitted=%d refused=%d per-peer-refusals=%d%n",
              scenario,
              SPOOFERS,
              flood.admitted(),
              flood.refused(),
              manager.stats().refusals().get(AdmissionLimit.MAX_PER_PEER)),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  /** A node whose peers authenticate with a bearer token, when they have one. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableWebSocket
  static class Node {

    @Bean
    WebSocketConfigurer endpoint(ConnectionManagerWebSocketHandlerDecoratorFactory connmgr) {
      return registry -> registry.addHandler(connmgr.decorate(new TextWebSocketHandler()), "/ws");
    }

    @Bean
    Filter bearerTokens() {
      return (req, res, chain) -> {
        HttpServletRequest request = (HttpServletRequest) req;
        String header = request.getHeader("Authorization");
        if (header == null) {
          chain.doFilter(req, res);
          return;
        }
        String name = header.startsWith("Bearer ") ? TOKENS.get(header.substring(7)) : null;
        if (name == null) {
          ((HttpServletResponse) res).sendError(401);
          return;
        }
        Principal principal = () -> name;
        chain.doFilter(
            new HttpServletRequestWrapper(request) {
              @Override
              public Principal getUserPrincipal() {
                return principal;
              }
            },
            res);
      };
    }
  }
}
