package io.connmgr.sample.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Real WebSocket clients connected to a sample node's peer endpoint over loopback, each
 * authenticating its handshake as its peer id (HTTP Basic with the node's per-peer token, as the
 * sample's swarm does), so the node names it by a verified id. They send nothing; {@link #close()}
 * closes them.
 */
final class WebSocketPeers implements AutoCloseable {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<WebSocket> sockets = new ArrayList<>();

  /**
   * Connects one client per id to {@code ws://127.0.0.1:port/p2p}, one after another, each with the
   * {@code Authorization} header {@code authorization} gives for its id.
   */
  static WebSocketPeers connect(int port, List<String> ids, Function<String, String> authorization)
      throws Exception {
    WebSocketPeers peers = new WebSocketPeers();
    try {
      for (String id : ids) {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/p2p?peer=" + id);
        peers.sockets.add(
            peers
                .http
                .newWebSocketBuilder()
                .header("Authorization", authorization.apply(id))
                .buildAsync(uri, new WebSocket.Listener() {})
                .get(20, TimeUnit.SECONDS));
      }
    } catch (Exception e) {
      peers.close();
      throw e;
    }
    return peers;
  }

  @Override
  public void close() {
    List<CompletableFuture<?>> closing = new ArrayList<>();
    for (WebSocket socket : sockets) {
      closing.add(socket.sendClose(WebSocket.NORMAL_CLOSURE, "test over").exceptionally(e -> null));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      sockets.forEach(WebSocket::abort);
    }
  }
}
