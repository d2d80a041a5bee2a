package io.connmgr.sample.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus server on loopback, started from the installed binary with a generated
 * configuration, and a small client of its HTTP API. {@link #close()} stops it and waits.
 */
final class PrometheusServer implements AutoCloseable {

  /** What to scrape: the nodes' host:port, their metrics path and their HTTP Basic login. */
  record Scrape(List<String> targets, String metricsPath, String username, String password) {}

  private static final int START_ATTEMPTS = 3;

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JsonMapper json = JsonMapper.builder().build();

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts Prometheus in {@code dir} scraping {@code scrape} (as job {@code job}) every {@code
   * scrapeInterval} (which is also the scrape timeout) and evaluating {@code rules} every {@code
   * evaluationInterval}, and waits until it is ready. The port is a free one; if another process
   * takes it first, starts again on another.
   */
  static PrometheusServer start(
      PrometheusBinaries binaries,
      Path dir,
      String job,
      Scrape scrape,
      Path rules,
      Duration scrapeInterval,
      Duration evaluationInterval,
      Duration readyWithin)
      throws IOException, InterruptedException {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, config(job, scrape, rules, scrapeInterval, evaluationInterval));
    IOException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = freePort();
      Path log = dir.resolve("prometheus-" + attempt + ".log");
      Process process =
          new ProcessBuilder(
                  binaries.prometheus().toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("data-" + attempt),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=warn")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      PrometheusServer server =
          new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
      try {
        server.awaitReady(readyWithin);
        return server;
      } catch (IOException e) {
        server.close();
        last = e;
      }
    }
    throw last;
  }

  private static String config(
      String job, Scrape scrape, Path rules, Duration scrapeInterval, Duration evaluationInterval) {
    String scrapeEvery = scrapeInterval.toMillis() + "ms";
    StringBuilder yaml =
        new StringBuilder()
            .append("global:\n")
            .append("  scrape_interval: ")
            .append(scrapeEvery)
            .append('\n')
            .append("  scrape_timeout: ")
            .append(scrapeEvery)
            .append('\n')
            .append("  evaluation_interval: ")
            .append(evaluationInterval.toMillis())
            .append("ms\n")
            .append("rule_files:\n")
            .append("  - ")
            .append(quote(rules.toString()))
            .append('\n')
            .append("scrape_configs:\n")
            .append("  - job_name: ")
            .append(quote(job))
            .append('\n')
            .append("    metrics_path: ")
            .append(quote(scrape.metricsPath()))
            .append('\n')
            .append("    basic_auth:\n")
            .append("      username: ")
            .append(quote(scrape.username()))
            .append('\n')
            .append("      password: ")
            .append(quote(scrape.password()))
            .append('\n')
            .append("    static_configs:\n")
            .append("      - targets:\n");
    for (String target : scrape.targets()) {
      yaml.append("          - ").append(quote(target)).append('\n');
    }
    return yaml.toString();
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady(Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("prometheus exited with " + process.exitValue() + ": " + logTail());
      }
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(base.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IOException("prometheus not ready within " + within + ": " + logTail());
  }

  /** The last lines Prometheus logged, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The result of an instant query ({@code data.result}); fails on an error status. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .path("result");
  }

  /** The alerts pending or firing now ({@code data.alerts}). */
  List<JsonNode> alerts() throws IOException, InterruptedException {
    List<JsonNode> alerts = new ArrayList<>();
    get("/api/v1/alerts").path("alerts").forEach(alerts::add);
    return alerts;
  }

  /** The loaded rule groups ({@code data.groups}). */
  JsonNode ruleGroups() throws IOException, InterruptedException {
    return get("/api/v1/rules").path("groups");
  }

  /** The scrape targets ({@code data.activeTargets}). */
  List<JsonNode> targets() throws IOException, InterruptedException {
    List<JsonNode> targets = new ArrayList<>();
    get("/api/v1/targets").path("activeTargets").forEach(targets::add);
    return targets;
  }

  private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = json.readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
      throw new IllegalStateException(
          "GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
    }
    return body.path("data");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
