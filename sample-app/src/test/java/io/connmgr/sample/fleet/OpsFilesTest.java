package io.connmgr.sample.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The files {@code ops/} ships, read as a user's tools read them: the rules pass {@code promtool
 * check rules} and their unit tests ({@code promtool test rules}); every alert tells the operator
 * where to look; the Grafana dashboard is well formed, each panel queries through the shipped
 * recording rules and the dashboard's variables, and the nodes link to their consoles; {@code
 * docs/operations.md} explains every alert. {@link FleetMonitoringTest} runs every query of the
 * dashboard against a real Prometheus.
 */
class OpsFilesTest {

  private static final Pattern RECORDED_NAME = Pattern.compile("\\b[a-z_]+:[a-z_]+:[a-z0-9_]+\\b");

  final OpsFiles ops = OpsFiles.locate();

  @Test
  void theRulesPassPromtoolsCheckAndTheirUnitTests() throws Exception {
    Promtool promtool = new Promtool(PrometheusBinaries.require());
    assertThat(promtool.checkRules(ops.rules)).contains("SUCCESS");
    assertThat(promtool.testRules(ops.rulesTests)).contains("SUCCESS");
  }

  @Test
  void everyAlertHasASeverityAndTellsTheOperatorWhereToLook() throws Exception {
    List<Map<String, Object>> alerts =
        ops.rules().stream().filter(rule -> rule.containsKey("alert")).toList();
    assertThat(alerts)
        .extracting(rule -> rule.get("alert"))
        .containsExactly(
            "ConnmgrStuckAboveHighWater",
            "ConnmgrRoundsCloseNothing",
            "ConnmgrEvictionRateAboveNorm",
            "ConnmgrScorerFailing",
            "ConnmgrAdmissionRefusals",
            "ConnmgrEmergencyRound");
    for (Map<String, Object> alert : alerts) {
      @SuppressWarnings("unchecked")
      Map<String, String> labels = (Map<String, String>) alert.get("labels");
      @SuppressWarnings("unchecked")
      Map<String, String> annotations = (Map<String, String>) alert.get("annotations");
      assertThat(labels.get("severity"))
          .as("severity of %s", alert.get("alert"))
          .isIn("warning", "critical");
      assertThat(annotations.get("summary"))
          .as("summary of %s", alert.get("alert"))
          .contains("{{ $labels.instance }}");
      assertThat(annotations.get("description"))
          .as("description of %s", alert.get("alert"))
          .containsAnyOf("/actuator/", "/connmgr")
          .contains("{{ $labels.instance }}");
    }
  }

  @Test
  void theOperationsGuideExplainsEveryAlertAndShowsTheWiring() throws Exception {
    String guide = Files.readString(ops.operationsDoc);
    for (String alert : ops.alerts().keySet()) {
      assertThat(guide).as("docs/operations.md on %s", alert).contains("### " + alert);
    }
    assertThat(guide)
        .contains(
            "ops/prometheus/connmgr-rules.yml",
            "ops/grafana/connmgr.json",
            "/actuator/prometheus",
            "rule_files");
  }

  @Test
  void theDashboardIsWellFormed() throws Exception {
    GrafanaDashboard dashboard = GrafanaDashboard.read(ops.dashboard);
    JsonNode json = dashboard.json;
    assertThat(json.path("uid").asString()).isEqualTo("connmgr-fleet");
    assertThat(json.path("title").asString()).isNotBlank();
    assertThat(variables(json))
        .contains("datasource", "job", "node", "console_scheme", "console_path");

    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : json.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique id %s", panel.path("id")).isTrue();
      assertThat(panel.path("gridPos").path("w").asInt())
          .as("width of %s", panel.path("title"))
          .isBetween(1, 24);
    }
    List<JsonNode> panels = dashboard.panels();
    assertThat(panels).hasSizeGreaterThanOrEqualTo(20);
    for (JsonNode panel : panels) {
      String title = panel.path("title").asString();
      assertThat(title).as("a panel's title").isNotBlank();
      assertThat(panel.path("description").asString()).as("description of %s", title).isNotBlank();
      assertThat(panel.path("datasource").path("uid").asString())
          .as("data source of %s", title)
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets").size()).as("queries of %s", title).isPositive();
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        assertThat(refIds.add(target.path("refId").asString())).as("refIds of %s", title).isTrue();
        String expr = target.path("expr").asString();
        assertThat(expr).as("query of %s", title).isNotBlank();
        // every query resolves to plain PromQL; FleetMonitoringTest runs it
        assertThat(GrafanaDashboard.resolve(expr, "1m")).doesNotContain("$");
      }
    }
  }

  @Test
  void theDashboardReadsOnlyRecordedSeriesThatTheRulesRecord() throws Exception {
    Set<String> recorded = ops.recorded().keySet();
    Set<String> used = new TreeSet<>();
    for (String query : GrafanaDashboard.read(ops.dashboard).queries()) {
      Matcher m = RECORDED_NAME.matcher(query);
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used).as("recorded series the dashboard reads").isNotEmpty();
    assertThat(recorded).containsAll(used);
  }

  @Test
  void everyNodeLinksToItsConsole() throws Exception {
    GrafanaDashboard dashboard = GrafanaDashboard.read(ops.dashboard);
    List<String> links = new ArrayList<>();
    for (JsonNode panel : dashboard.panels()) {
      panel
          .path("fieldConfig")
          .path("defaults")
          .path("links")
          .forEach(
              link ->
                  links.add(panel.path("title").asString() + " -> " + link.path("url").asString()));
      for (JsonNode override : panel.path("fieldConfig").path("overrides")) {
        for (JsonNode property : override.path("properties")) {
          if ("links".equals(property.path("id").asString())) {
            property
                .path("value")
                .forEach(
                    link ->
                        links.add(
                            panel.path("title").asString() + " -> " + link.path("url").asString()));
          }
        }
      }
    }
    assertThat(links)
        .contains(
            "Nodes -> ${console_scheme}://${__value.text}${console_path}",
            "Connections against watermarks, by node -> "
                + "${console_scheme}://${__field.labels.instance}${console_path}");
  }

  private static List<String> variables(JsonNode dashboard) {
    List<String> names = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(v -> names.add(v.path("name").asString()));
    return names;
  }
}
