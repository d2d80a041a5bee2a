package io.connmgr.sample.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard {@code ops/grafana/connmgr.json}: its panels and the PromQL each panel
 * runs, with the dashboard's variables substituted the way Grafana would for "all nodes".
 */
final class GrafanaDashboard {

  /** The variables panels use, each with the value Grafana sends for "All". */
  static final List<String> MULTI_VALUE_VARIABLES = List.of("job", "node");

  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

  final JsonNode json;

  private GrafanaDashboard(JsonNode json) {
    this.json = json;
  }

  /** Parses the file; a syntax error fails here. */
  static GrafanaDashboard read(Path file) throws IOException {
    return new GrafanaDashboard(JsonMapper.builder().build().readTree(Files.readString(file)));
  }

  /** Every panel that is not a row, rows' nested panels included, in file order. */
  List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : json.path("panels")) {
      if ("row".equals(panel.path("type").asString())) {
        panel.path("panels").forEach(panels::add);
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  /** Every query of every panel, as written in the dashboard. */
  Set<String> queries() {
    Set<String> queries = new LinkedHashSet<>();
    for (JsonNode panel : panels()) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("expr").asString());
      }
    }
    return queries;
  }

  /**
   * Each query variable's {@code label_values(SELECTOR, LABEL)} as the PromQL that lists the same
   * values, {@code count by (LABEL) (SELECTOR)}, by variable name.
   */
  Map<String, String> variableQueries() {
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode variable : json.path("templating").path("list")) {
      if ("query".equals(variable.path("type").asString())) {
        Matcher m = LABEL_VALUES.matcher(variable.path("definition").asString());
        if (!m.matches()) {
          throw new IllegalArgumentException("not label_values(selector, label): " + variable);
        }
        queries.put(
            variable.path("name").asString(), "count by (" + m.group(2) + ") (" + m.group(1) + ")");
      }
    }
    return queries;
  }

  /**
   * The link the Nodes table puts on {@code instance}, with the console variables at their
   * defaults, as a browser would follow it from the dashboard.
   */
  String nodeConsoleLink(String instance) {
    for (JsonNode panel : panels()) {
      if (!"Nodes".equals(panel.path("title").asString())) {
        continue;
      }
      for (JsonNode override : panel.path("fieldConfig").path("overrides")) {
        for (JsonNode property : override.path("properties")) {
          if ("links".equals(property.path("id").asString())) {
            String url = property.path("value").path(0).path("url").asString();
            return url.replace("${__value.text}", instance)
                .replace("${console_scheme}", variableDefault("console_scheme"))
                .replace("${console_path}", variableDefault("console_path"));
          }
        }
      }
    }
    throw new IllegalStateException("no Nodes table with a link on its instance column");
  }

  private String variableDefault(String name) {
    for (JsonNode variable : json.path("templating").path("list")) {
      if (name.equals(variable.path("name").asString())) {
        return variable.path("current").path("value").asString();
      }
    }
    throw new IllegalArgumentException("no variable " + name);
  }

  /**
   * A query as Grafana runs it for all jobs and nodes: {@code $job} and {@code $node} become their
   * "All" value ({@code .+}), {@code $__rate_interval} becomes {@code rateInterval}.
   */
  static String resolve(String query, String rateInterval) {
    String resolved = query.replace("$__rate_interval", rateInterval);
    for (String variable : MULTI_VALUE_VARIABLES) {
      resolved = resolved.replace("${" + variable + "}", ".+").replace("$" + variable, ".+");
    }
    if (resolved.contains("$")) {
      throw new IllegalArgumentException("a variable the test does not know in: " + query);
    }
    return resolved;
  }
}
