package io.connmgr.sample.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionView;
import io.connmgr.sample.SwarmTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The shipped rules and dashboard against the real thing: Debian's Prometheus on loopback scrapes
 * two sample nodes ({@code /actuator/prometheus}, behind the sample's login) and evaluates {@code
 * ops/prometheus/connmgr-rules.yml}, its expressions byte for byte, with only the {@code for:}
 * durations shortened (system property {@code fleet.alert-for}, default {@value
 * #DEFAULT_ALERT_FOR}). One node ("stuck") is driven above high water by real WebSocket peers that
 * authenticate as static peers, hence pinned: its rounds can close nothing. The other ("healthy")
 * runs the sample's swarm above its high water and trims it back. The "stuck above high water"
 * alert must fire for the first and never for the second, every query of the Grafana dashboard must
 * return data, and the dashboard's link for each node must open that node's console. Prints the
 * alert's time to fire.
 */
class FleetMonitoringTest {

  static final String DEFAULT_ALERT_FOR = "PT10S";
  static final Duration ALERT_FOR =
      Duration.parse(System.getProperty("fleet.alert-for", DEFAULT_ALERT_FOR));

  /** Prometheus scrapes this often, with as long a timeout: a loaded machine answers slowly. */
  static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);

  /** Prometheus evaluates the rules this often. */
  static final Duration EVALUATION_INTERVAL = Duration.ofSeconds(1);

  static final String RATE_INTERVAL = "1m";
  static final String JOB = "connmgr-fleet-test";
  static final String PASSWORD = "fleet-secret";
  static final String STUCK = "ConnmgrStuckAboveHighWater";
  static final String CLOSE_NOTHING = "ConnmgrRoundsCloseNothing";

  static final int STUCK_HIGH = 8;
  static final List<String> STUCK_PEERS =
      IntStream.rangeClosed(1, 2 * STUCK_HIGH).mapToObj(i -> "pinned-" + i).toList();

  @Test
  void theStuckAlertFiresForTheStuckNodeOnlyAndEveryDashboardQueryHasData(@TempDir Path dir)
      throws Exception {
    PrometheusBinaries binaries = PrometheusBinaries.require();
    OpsFiles ops = OpsFiles.locate();
    Promtool promtool = new Promtool(binaries);
    assertThat(promtool.checkRules(ops.rules)).contains("SUCCESS");
    Path rules = dir.resolve("connmgr-rules.yml");
    Files.writeString(rules, ops.rulesWithFor(ALERT_FOR));
    assertThat(promtool.checkRules(rules)).contains("SUCCESS");
    GrafanaDashboard dashboard = GrafanaDashboard.read(ops.dashboard);
    Set<String> queries = dashboard.queries();

    try (SampleNode stuck = SampleNode.start(PASSWORD, stuckSettings());
        SampleNode healthy = SampleNode.start(PASSWORD, healthySettings());
        PrometheusServer prometheus =
            PrometheusServer.start(
                binaries,
                dir,
                JOB,
                new PrometheusServer.Scrape(
                    List.of(stuck.instance(), healthy.instance()),
                    "/actuator/prometheus",
                    SampleNode.ADMIN,
                    PASSWORD),
                rules,
                SCRAPE_INTERVAL,
                EVALUATION_INTERVAL,
                Duration.ofSeconds(60))) {

      // both nodes scraped and the recording rules evaluated before the stuck node fills up
      await("both nodes scraped")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () ->
                  assertThat(prometheus.targets())
                      .as("targets")
                      .allSatisfy(
                          t -> assertThat(t.path("health").asString()).as("%s", t).isEqualTo("up"))
                      .hasSize(2));
      await("the rules evaluated")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () ->
                  assertThat(instances(prometheus.query("instance:connmgr_connections:sum")))
                      .containsExactlyInAnyOrder(stuck.instance(), healthy.instance()));

      // the node selector offers both nodes
      assertThat(
              instances(
                  prometheus.query(
                      GrafanaDashboard.resolve(
                          dashboard.variableQueries().get("node"), RATE_INTERVAL))))
          .containsExactlyInAnyOrder(stuck.instance(), healthy.instance());

      // and the Nodes table links each node to its own console
      for (SampleNode node : List.of(stuck, healthy)) {
        String link = dashboard.nodeConsoleLink(node.instance());
        assertThat(link).isEqualTo("http://" + node.instance() + "/connmgr");
        HttpResponse<String> console =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(link))
                        .header(
                            "Authorization",
                            "Basic "
                                + Base64.getEncoder()
                                    .encodeToString(
                                        (SampleNode.ADMIN + ":" + PASSWORD)
                                            .getBytes(StandardCharsets.UTF_8)))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).as("GET %s", link).isEqualTo(200);
        assertThat(console.body()).as("the console at %s", link).contains("connmgr");
      }

      AtomicLong crossedAt = watchCrossing(stuck.manager());
      SwarmTokens tokens = stuck.swarmTokens();
      try (WebSocketPeers peers =
          WebSocketPeers.connect(stuck.port(), STUCK_PEERS, tokens::authorization)) {
        await("every pinned peer counted")
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  assertThat(stuck.manager().connectionCount()).isEqualTo(STUCK_PEERS.size());
                  assertThat(stuck.manager().stats().protectedPeers())
                      .isEqualTo(STUCK_PEERS.size());
                  assertThat(crossedAt.get())
                      .as("the stuck node went above high water")
                      .isPositive();
                });

        AlertLog log = new AlertLog(prometheus, stuck.instance(), healthy.instance());
        long firedAt = log.pollUntilFiring(STUCK, stuck.instance(), Duration.ofSeconds(120));
        double seconds = (firedAt - crossedAt.get()) / 1e9;
        System.out.printf(
            "[fleet] %s fired for the stuck node %.1f s after it went above high"
                + " water (for: %s, scrape every %s, evaluation every %s)%n",
            STUCK, seconds, ALERT_FOR, SCRAPE_INTERVAL, EVALUATION_INTERVAL);
        assertThat(seconds).as("time to fire").isGreaterThanOrEqualTo(ALERT_FOR.toSeconds());
        log.pollUntilFiring(CLOSE_NOTHING, stuck.instance(), Duration.ofSeconds(60));

        Map<String, Integer> results = log.pollUntilAllHaveData(queries, Duration.ofSeconds(90));
        System.out.println(
            "[fleet] every dashboard query returned data (series per query): " + results.values());

        // the healthy node did go above high water and was trimmed back: its rounds evicted
        JsonNode trimmed =
            prometheus.query(
                "connmgr_evictions_total{trigger=\"watermark\","
                    + " instance=\""
                    + healthy.instance()
                    + "\"} > 0");
        assertThat(trimmed).as("watermark evictions on the healthy node").isNotEmpty();
        assertThat(log.seen(healthy.instance()))
            .as("alerts ever pending or firing for the healthy node")
            .doesNotContain(STUCK + " firing", CLOSE_NOTHING + " firing");
        assertThat(log.seen(stuck.instance()))
            .contains(STUCK + " firing", CLOSE_NOTHING + " firing");
        assertRulesHealthy(prometheus);
      }
    }
  }

  /** Every rule evaluated without error (no many-to-many matches, no template errors). */
  private static void assertRulesHealthy(PrometheusServer prometheus) throws Exception {
    Map<String, String> unhealthy = new TreeMap<>();
    int rules = 0;
    for (JsonNode group : prometheus.ruleGroups()) {
      for (JsonNode rule : group.path("rules")) {
        rules++;
        if (!"ok".equals(rule.path("health").asString())) {
          unhealthy.put(rule.path("name").asString(), rule.path("lastError").asString());
        }
      }
    }
    assertThat(rules).as("rules loaded").isEqualTo(OpsFiles.locate().rules().size());
    assertThat(unhealthy).as("rules whose last evaluation failed").isEmpty();
  }

  /** The instant (System.nanoTime) the manager first counted more than its high water. */
  private static AtomicLong watchCrossing(ConnectionManager manager) {
    AtomicLong crossedAt = new AtomicLong();
    int high = manager.stats().highWater();
    manager.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onConnectionOpened(ConnectionView connection) {
            if (manager.connectionCount() > high) {
              crossedAt.compareAndSet(0, System.nanoTime());
            }
          }
        });
    return crossedAt;
  }

  static Set<String> instances(JsonNode result) {
    Set<String> instances = new LinkedHashSet<>();
    result.forEach(series -> instances.add(series.path("metric").path("instance").asString()));
    return instances;
  }

  /**
   * A node whose every peer is static (pinned): above high water, its rounds close nothing. Its
   * gRPC port is free like its HTTP port (the test resources set {@code
   * spring.grpc.server.port=0}).
   */
  private static Map<String, String> stuckSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("connmgr.low-water", Integer.toString(STUCK_HIGH / 2));
    s.put("connmgr.high-water", Integer.toString(STUCK_HIGH));
    s.put("connmgr.grace-period", "1s");
    s.put("connmgr.silence-period", "1s");
    s.put("connmgr.maintenance-interval", "200ms");
    s.put("connmgr.static-peers", String.join(",", STUCK_PEERS));
    s.put("sample.swarm.enabled", "false");
    s.put("sample.grpc.clients", "0"); // no unpinned gRPC peers either
    return s;
  }

  /** The sample's swarm at test speed, half again above high water: trimmed, never stuck. */
  private static Map<String, String> healthySettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("connmgr.low-water", "10");
    s.put("connmgr.high-water", "20");
    s.put("connmgr.grace-period", "1s");
    s.put("connmgr.silence-period", "1s");
    s.put("connmgr.maintenance-interval", "200ms");
    s.put("connmgr.max-lease", "5s");
    s.put("connmgr.max-lease-lifetime", "6s");
    s.put("connmgr.static-peers", "stable-1,stable-2");
    s.put("sample.swarm.size", "30");
    s.put("sample.swarm.join-rate", "30");
    s.put("sample.swarm.tick", "200ms");
    s.put("sample.swarm.churn", "0.02");
    s.put("sample.swarm.rejoin-min", "1s");
    s.put("sample.swarm.rejoin-max", "3s");
    s.put("sample.swarm.backoff-min", "500ms");
    s.put("sample.swarm.backoff-max", "3s");
    s.put("sample.swarm.slow-transfer", "5s");
    s.put("sample.bitswap.lease", "1s");
    s.put("sample.bitswap.extension", "1s");
    s.put("sample.gossip.mesh-size", "3");
    s.put("sample.gossip.lease", "2s");
    s.put("sample.gossip.decay-interval", "2s");
    s.put("sample.grpc.clients", "4");
    return s;
  }

  /**
   * Polls Prometheus's alerts and remembers, per node, every alert state it saw ("NAME pending",
   * "NAME firing"), so a test can say what never happened to a node while it watched.
   */
  static final class AlertLog {
    private final PrometheusServer prometheus;
    private final Map<String, Set<String>> seen = new LinkedHashMap<>();

    AlertLog(PrometheusServer prometheus, String... instances) {
      this.prometheus = prometheus;
      for (String instance : instances) {
        seen.put(instance, new LinkedHashSet<>());
      }
    }

    Set<String> seen(String instance) {
      return seen.get(instance);
    }

    private void poll() throws Exception {
      for (JsonNode alert : prometheus.alerts()) {
        String instance = alert.path("labels").path("instance").asString();
        seen.computeIfAbsent(instance, i -> new LinkedHashSet<>())
            .add(
                alert.path("labels").path("alertname").asString()
                    + " "
                    + alert.path("state").asString());
      }
    }

    /** Polls until {@code alert} fires for {@code instance}; returns when it saw it (nanoTime). */
    long pollUntilFiring(String alert, String instance, Duration within) throws Exception {
      long deadline = System.nanoTime() + within.toNanos();
      while (true) {
        poll();
        if (seen(instance).contains(alert + " firing")) {
          return System.nanoTime();
        }
        assertThat(System.nanoTime())
            .as(
                "%s firing for %s within %s; alerts seen: %s; log: %s",
                alert, instance, within, seen, prometheus.logTail())
            .isLessThan(deadline);
        Thread.sleep(200);
      }
    }

    /**
     * Polls (alerts included) until every query, variables resolved, returns at least one series;
     * returns each query's series count.
     */
    Map<String, Integer> pollUntilAllHaveData(Set<String> queries, Duration within)
        throws Exception {
      long deadline = System.nanoTime() + within.toNanos();
      while (true) {
        poll();
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> empty = new ArrayList<>();
        for (String query : queries) {
          int n = prometheus.query(GrafanaDashboard.resolve(query, RATE_INTERVAL)).size();
          counts.put(query, n);
          if (n == 0) {
            empty.add(query);
          }
        }
        if (empty.isEmpty()) {
          return counts;
        }
        assertThat(System.nanoTime())
            .as("dashboard queries still without data after %s: %s", within, empty)
            .isLessThan(deadline);
        Thread.sleep(500);
      }
    }
  }
}
