package io.connmgr.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.StreamView;
import io.connmgr.inspect.ConnectionSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample's second transport: Spring gRPC's Netty server on its own (random) port beside the
 * WebSocket node, its gRPC swarm fetching blocks under leases, both transports managed by one
 * manager and labelled side by side in the console's connection list.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sample.swarm.size=10",
      "sample.swarm.join-rate=50",
      "sample.grpc.clients=8",
      "sample.grpc.chunks=30",
      "sample.grpc.chunk-interval=200ms",
      "sample.grpc.pause=500ms",
      "sample.admin.password=" + SampleGrpcTransportTest.PASSWORD,
      "logging.level.io.connmgr.sample.RoundLog=warn"
    })
class SampleGrpcTransportTest {

  static final String PASSWORD = "grpc-transport-secret";
  static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;

  @Autowired ConnectionManager manager;

  @Test
  void gRpcAndWebSocketConnectionsShareOneManagerAndTheConsoleLabelsTheirTransport()
      throws Exception {
    await()
        .atMost(WAIT)
        .until(() -> transport("grpc").size() == 8 && !transport("websocket").isEmpty());
    await()
        .atMost(WAIT)
        .until(
            () ->
                transport("grpc").stream()
                    .anyMatch(
                        c ->
                            !c.leases().isEmpty()
                                && c.streams().stream()
                                    .map(StreamView::protocol)
                                    .anyMatch("sample.Blocks/Fetch"::equals)));
    assertThat(transport("grpc"))
        .allSatisfy(
            c -> {
              assertThat(c.peer().isVerified()).isFalse();
              assertThat(c.peer().value()).startsWith("unverified:grpc-");
            });

    String page = console("/connmgr/connections?size=100");
    assertThat(page)
        .contains("class=\"chip transport\">grpc<")
        .contains("class=\"chip transport\">websocket<");
  }

  private List<ConnectionSnapshot> transport(String name) {
    return manager.inspect().snapshot().connections().stream()
        .filter(c -> name.equals(c.attachments().get("transport")))
        .toList();
  }

  private String console(String path) throws Exception {
    String basic =
        Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Basic " + basic)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return response.body();
  }
}
