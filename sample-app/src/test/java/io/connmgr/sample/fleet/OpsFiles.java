package io.connmgr.sample.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The files {@code ops/} ships and {@code docs/operations.md}, read from the repository the tests
 * run in: the Prometheus rules (alerts and recording rules) and the Grafana dashboard.
 */
final class OpsFiles {

  private static final Pattern FOR = Pattern.compile("(?m)^(\\s+for:\\s*)(\\S+)\\s*$");

  final Path root;
  final Path rules;
  final Path rulesTests;
  final Path dashboard;
  final Path operationsDoc;

  private OpsFiles(Path root) {
    this.root = root;
    this.rules = root.resolve("ops/prometheus/connmgr-rules.yml");
    this.rulesTests = root.resolve("ops/prometheus/connmgr-rules.test.yml");
    this.dashboard = root.resolve("ops/grafana/connmgr.json");
    this.operationsDoc = root.resolve("docs/operations.md");
  }

  /** The repository's files, found from the module directory Maven runs the tests in. */
  static OpsFiles locate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("ops/prometheus/connmgr-rules.yml"))) {
        return new OpsFiles(dir);
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "no ops/prometheus/connmgr-rules.yml above " + Path.of("").toAbsolutePath());
  }

  /**
   * The shipped rules with every {@code for:} duration replaced by {@code pendingFor}, the
   * expressions byte for byte as shipped: what a test can wait for.
   */
  String rulesWithFor(Duration pendingFor) throws IOException {
    String text = Files.readString(rules);
    Matcher m = FOR.matcher(text);
    StringBuilder out = new StringBuilder();
    int replaced = 0;
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + pendingFor.toMillis() + "ms"));
      replaced++;
    }
    m.appendTail(out);
    if (replaced != alerts().size()) {
      throw new IllegalStateException("expected one for: per alert, found " + replaced);
    }
    return out.toString();
  }

  /** Each alert's name and expression, in file order. */
  Map<String, String> alerts() throws IOException {
    return expressionsBy("alert");
  }

  /** Each recording rule's name and expression, in file order. */
  Map<String, String> recorded() throws IOException {
    return expressionsBy("record");
  }

  /** The expression of every rule that has {@code kind} ("alert" or "record"), by name. */
  private Map<String, String> expressionsBy(String kind) throws IOException {
    Map<String, String> expressions = new LinkedHashMap<>();
    for (Map<String, Object> rule : rules()) {
      if (rule.containsKey(kind)) {
        expressions.put((String) rule.get(kind), ((String) rule.get("expr")).strip());
      }
    }
    return expressions;
  }

  /** Every rule, alert or recording, as SnakeYAML reads it. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> rules() throws IOException {
    Map<String, Object> file = new Yaml().load(Files.readString(rules));
    List<Map<String, Object>> all = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      all.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return all;
  }
}
