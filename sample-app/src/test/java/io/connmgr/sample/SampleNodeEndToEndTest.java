package io.connmgr.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole sample on a random port: 60 real WebSocket clients on loopback against watermarks
 * 15/35, with one-second grace and silence periods, checked from the outside through the actuator
 * over HTTP while trim rounds run.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "connmgr.low-water=15",
      "connmgr.high-water=35",
      "connmgr.grace-period=1s",
      "connmgr.silence-period=1s",
      "connmgr.maintenance-interval=200ms",
      "connmgr.max-lease=5s",
      "connmgr.max-lease-lifetime=6s",
      // the eviction memory at this test's time scale (grace 1 s): refused peers honour the retry
      // time, so a 30 s backoff would leave too few evictions for the checks below
      "connmgr.eviction-memory.backoff=2s",
      "connmgr.static-peers=stable-1,stable-2",
      "sample.swarm.size=60",
      "sample.swarm.join-rate=60",
      "sample.swarm.tick=200ms",
      "sample.swarm.churn=0.02",
      "sample.swarm.rejoin-min=1s",
      "sample.swarm.rejoin-max=3s",
      "sample.swarm.backoff-min=500ms",
      "sample.swarm.backoff-max=3s",
      "sample.swarm.slow-transfer=5s",
      "sample.bitswap.lease=1s",
      "sample.bitswap.extension=1s",
      "sample.gossip.mesh-size=3",
      "sample.gossip.lease=2s",
      "sample.gossip.decay-interval=2s",
      "sample.admin.password=" + SampleNodeEndToEndTest.PASSWORD,
      "logging.level.io.connmgr.sample.RoundLog=warn"
    })
// the swarm's own rounds are judged first, over the node's whole life; the operator's trim after
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleNodeEndToEndTest {

  static final String PASSWORD = "end-to-end-secret";
  static final List<String> STATIC_PEERS = List.of("stable-1", "stable-2");
  static final int LOW = 15;
  static final int HIGH = 35;

  @LocalServerPort int port;

  @Autowired JsonMapper json;

  @Autowired ConnectionManager manager;

  final HttpClient http = HttpClient.newHttpClient();

  @Test
  @Order(1)
  void theManagerKeepsTheSwarmBetweenTheWatermarksWithoutBreakingAnyProtocol() throws Exception {
    // the static peers join, pinned from the start; remember their connections
    Map<String, Set<Long>> staticConnections = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              for (String peer : STATIC_PEERS) {
                JsonNode detail = get("/actuator/connmgr/" + peer);
                assertThat(detail.path("pinned").asBoolean()).as("%s pinned", peer).isTrue();
                assertThat(detail.path("connections")).as("%s connected", peer).hasSize(1);
                staticConnections.put(peer, connectionIds(detail));
              }
            });

    // let rounds happen; once a round is over, the connections it could close (out of their grace
    // period when it started) stand at or below high water; the others arrived too late for it
    // and may stand above high water until the next round: the documented transient. A look while
    // a round is still closing (the node reports the last round from its start) sees more, so
    // each round is judged by the last look before the next round started: the connections it
    // could close only ever go, never come, so that look is the lowest
    Map<String, String> lastLookByRound = new LinkedHashMap<>();
    Map<String, Integer> settledByRound = new LinkedHashMap<>();
    int[] mostSettled = {0};
    Set<String> roundsSeen = new LinkedHashSet<>();
    List<String> badRounds = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(150))
        .until(
            () -> {
              JsonNode sample = get("/actuator/sample");
              JsonNode node = sample.path("node");
              int settled = node.path("settled").asInt();
              mostSettled[0] = Math.max(mostSettled[0], settled);
              String lastRound = node.path("lastRound").asString();
              settledByRound.put(lastRound, settled);
              lastLookByRound.put(
                  lastRound,
                  node.path("connections").asInt()
                      + " connections, "
                      + settled
                      + " settled since the round at "
                      + lastRound);
              for (JsonNode round : sample.path("rounds").path("recent")) {
                if (roundsSeen.add(round.path("startedAt").asString())) {
                  checkRound(round, badRounds);
                }
              }
              JsonNode summary = get("/actuator/connmgr");
              // three rounds seen by the looks, so that two are judged however slowly a loaded
              // machine lets this loop look
              return settledByRound.size() >= 3
                  && sample.path("rounds").path("byTrigger").path("watermark").asLong() >= 5
                  && sample.path("swarm").path("evictions").asLong() >= 40
                  && sample.path("bitswap").path("completed").asLong() > 0
                  && sample.path("bitswap").path("extended").asLong() > 0
                  && vetoes(summary, "dhtBuckets") > 0;
            });
    // the last round seen may still have been closing at the last look: judged are those before
    List<String> judged = new ArrayList<>(settledByRound.keySet());
    judged.remove(judged.size() - 1);
    List<String> aboveHighWater = new ArrayList<>();
    for (String round : judged) {
      if (settledByRound.get(round) > HIGH) {
        aboveHighWater.add(lastLookByRound.get(round));
      }
    }
    assertThat(judged).as("rounds judged").hasSizeGreaterThanOrEqualTo(2);
    assertThat(aboveHighWater)
        .as("rounds whose last look shows more than high water of settled connections")
        .isEmpty();
    assertThat(mostSettled[0])
        .as("most settled connections seen")
        .isGreaterThan(STATIC_PEERS.size());
    assertThat(badRounds).isEmpty();

    JsonNode sample = get("/actuator/sample");
    JsonNode summary = get("/actuator/connmgr");
    assertThat(summary.path("watermarks").path("low").asInt()).isEqualTo(LOW);
    assertThat(summary.path("watermarks").path("high").asInt()).isEqualTo(HIGH);

    // static peers: still on their first connection, pinned, never evicted
    for (String peer : STATIC_PEERS) {
      JsonNode detail = get("/actuator/connmgr/" + peer);
      assertThat(detail.path("pinned").asBoolean()).isTrue();
      assertThat(connectionIds(detail))
          .as("%s's connections", peer)
          .isEqualTo(staticConnections.get(peer));
    }
    assertThat(sample.path("rounds").path("staticPeerEvictions").asLong()).isZero();
    assertThat(sample.path("swarm").path("evictionsByBehaviour").path("stable").asLong()).isZero();

    // DHT: the veto worked, and no eviction ever emptied a bucket
    assertThat(vetoes(summary, "dhtBuckets")).isPositive();
    assertThat(sample.path("dht").path("bucketsEmptiedByEviction").asLong()).isZero();
    assertThat(sample.path("dht").path("buckets").size()).isPositive();

    // bitswap: blocks moved, leases were extended, and no leased transfer was cut
    assertThat(sample.path("bitswap").path("completed").asLong()).isPositive();
    assertThat(sample.path("bitswap").path("cut").asLong()).isZero();

    // evicted peers came back after their back-off
    assertThat(sample.path("swarm").path("connects").asLong())
        .isGreaterThan(sample.path("swarm").path("size").asLong());

    // every eviction has a reason: in the manager's records and in the close frames peers got
    assertThat(sample.path("rounds").path("evictionsWithoutReason").asLong()).isZero();
    assertThat(sample.path("swarm").path("evictions").asLong()).isPositive();
    assertThat(sample.path("swarm").path("evictionsWithoutReason").asLong()).isZero();
    assertThat(sample.path("swarm").path("lastEvictionReason").asString())
        .contains("low water " + LOW);
    assertThat(summary.path("recentEvictions"))
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.path("reason").asString()).isNotBlank();
              assertThat(e.path("trigger").asString()).isEqualTo("watermark");
              assertThat(STATIC_PEERS).doesNotContain(e.path("peer").asString());
            });

    // the scorers were pulled, and none failed
    assertThat(summary.path("scorers"))
        .extracting(s -> s.path("name").asString())
        .contains("bitswap", "relay");
    assertThat(summary.path("scorers"))
        .allSatisfy(
            s -> {
              assertThat(s.path("calls").asLong()).as(s.path("name").asString()).isPositive();
              assertThat(s.path("errors").asLong()).isZero();
            });
  }

  /**
   * A watermark round starts above high water, never goes below low water, and reaches its target
   * unless its report explains each close it did not make (its shortfall by cause).
   */
  private static void checkRound(JsonNode round, List<String> bad) {
    if (!round.path("trigger").asString().equals("watermark")) {
      return;
    }
    int before = round.path("before").asInt();
    int target = round.path("target").asInt();
    int evicted = round.path("evicted").asInt();
    int explained = 0;
    for (JsonNode n : round.path("shortfall")) {
      explained += n.asInt();
    }
    String summary = round.path("summary").asString();
    if (before <= HIGH) {
      bad.add("a round at " + before + " connections: " + summary);
    }
    if (before - evicted < LOW) {
      bad.add("below low water: " + summary);
    }
    if (evicted + explained != target) {
      bad.add(
          "closed " + evicted + " of " + target + " with " + explained + " explained: " + summary);
    }
  }

  @Test
  @Order(2)
  void swarmPeersAreVerifiedAndAClaimWithoutATokenIsNot() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                manager
                    .inspect()
                    .tagInfo(PeerId.of("stable-1"))
                    .map(t -> !t.connections().isEmpty())
                    .orElse(false));
    assertThat(manager.isProtected(PeerId.of("stable-1"), ConnectionManager.PIN_TAG)).isTrue();

    WebSocket spoof =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/p2p?peer=stable-1"),
                new WebSocket.Listener() {})
            .get(10, TimeUnit.SECONDS);
    try {
      PeerId claimed = PeerId.unverified("stable-1");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> manager.inspect().tagInfo(claimed).isPresent());
      assertThat(manager.isProtected(claimed, null)).isFalse();
    } finally {
      spoof.abort();
    }

    CompletableFuture<WebSocket> forged =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("stable-2:not-its-token".getBytes(StandardCharsets.UTF_8)))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/p2p"), new WebSocket.Listener() {});
    assertThat(forged)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .withStackTraceContaining("401");
  }

  @Test
  @Order(3)
  void anAdminTrimsWithCurlsRequestAndAnonymousCannot() throws Exception {
    String basic =
        Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder trim =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/connmgr"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"trim\"}"));
    HttpResponse<String> anonymous = http.send(trim.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode())
        .as("no credentials: no CSRF exemption either")
        .isEqualTo(403);

    HttpResponse<String> admin =
        http.send(
            trim.header("Authorization", "Basic " + basic).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
    assertThat(json.readTree(admin.body()).path("trigger").asString()).isEqualTo("manual");
    JsonNode audit = get("/actuator/connmgr/audit").path("entries").path(0);
    assertThat(audit.path("principal").asString()).isEqualTo("admin");
    assertThat(audit.path("action").asString()).isEqualTo("trim");
    assertThat(audit.path("source").asString()).isEqualTo("actuator");
  }

  private static long vetoes(JsonNode summary, String name) {
    for (JsonNode veto : summary.path("vetoes")) {
      if (veto.path("name").asString().equals(name)) {
        return veto.path("vetoes").asLong();
      }
    }
    return 0;
  }

  private static Set<Long> connectionIds(JsonNode peer) {
    Set<Long> ids = new LinkedHashSet<>();
    for (JsonNode c : peer.path("connections")) {
      ids.add(c.path("id").asLong());
    }
    return ids;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    String basic =
        Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + basic)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return json.readTree(response.body());
  }
}
