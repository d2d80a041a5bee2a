package io.connmgr.websocket.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.testing.Timings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Sinks;

/**
 * Many reactive WebSocket sessions held at once on one Reactor Netty server, through the adapter
 * and, on the same server in the same run, without it. Checks that every session counted and none
 * was refused; prints what the adapter adds to an open and close (not a target: those live in JMH;
 * the figure is as noisy as the machine).
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "connmgr.low-water=5000",
      "connmgr.high-water=6000"
    })
class ReactiveWebSocketOverheadTests {

  private static final int HELD = 500;
  private static final int ROUNDS = 3;

  @LocalServerPort private int port;

  @Autowired private ConnectionManager manager;

  @Autowired private Holder plain;

  private final ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient();

  @Test
  void fiveHundredSessionsHeldAtOnceWithAndWithoutTheAdapter() throws Exception {
    round("/plain", plain.open::get); // warm-up
    round("/managed", manager::connectionCount);
    long[] with = new long[ROUNDS];
    long[] without = new long[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      with[i] = round("/managed", manager::connectionCount);
      without[i] = round("/plain", plain.open::get);
    }
    assertThat(manager.stats().refusals().values()).allMatch(n -> n == 0);
    long perWith = Timings.median(with) / HELD;
    long perWithout = Timings.median(without) / HELD;
    System.out.printf(
        "connmgr webflux: %d sessions held at once; open+close %d us each with the"
            + " adapter, %d us without (median of %d rounds; overhead %d us)%n",
        HELD, perWith / 1000, perWithout / 1000, ROUNDS, (perWith - perWithout) / 1000);
  }

  /** Opens HELD sessions, waits until the server holds them all, closes them, waits. */
  private long round(String path, IntSupplier serverCount) throws InterruptedException {
    Sinks.Empty<Void> release = Sinks.empty();
    CountDownLatch ended = new CountDownLatch(HELD);
    long start = System.nanoTime();
    for (int i = 0; i < HELD; i++) {
      client
          .execute(
              URI.create("ws://127.0.0.1:" + port + path),
              session -> release.asMono().then(session.close()))
          .doFinally(signal -> ended.countDown())
          .subscribe();
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> serverCount.getAsInt() == HELD);
    release.tryEmitEmpty();
    assertThat(ended.await(2, TimeUnit.MINUTES)).isTrue();
    await().atMost(Duration.ofMinutes(2)).until(() -> serverCount.getAsInt() == 0);
    return System.nanoTime() - start;
  }

  /** The server's handler: holds a session until the client closes it, counting open ones. */
  static final class Holder implements WebSocketHandler {
    final AtomicInteger open = new AtomicInteger();

    @Override
    public reactor.core.publisher.Mono<Void> handle(
        org.springframework.web.reactive.socket.WebSocketSession session) {
      open.incrementAndGet();
      return session.receive().then().doFinally(signal -> open.decrementAndGet());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {

    @Bean
    Holder plain() {
      return new Holder();
    }

    @Bean
    HandlerMapping webSocketMapping(ReactiveWebSocketHandlerDecorator connmgr, Holder plain) {
      return new SimpleUrlHandlerMapping(
          Map.of("/managed", connmgr.decorate(new Holder()), "/plain", plain), -1);
    }
  }
}
