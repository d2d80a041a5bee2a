package io.connmgr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.InvalidSettingsException;
import io.connmgr.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every builder {@link Setting} has its {@code connmgr.*} property (or a stated reason not to), the
 * property reaches that setting, and the metadata and docs/starter.md show the builder's default.
 */
class PropertiesMappingTests {

  /** For each setting a property maps to: a value of it the builder refuses. */
  private static final Map<Setting, String> REFUSED = refused();

  /**
   * Settings with no value to refuse (booleans), with the test that shows their property at work.
   */
  private static final Map<Setting, String> SHOWN_BY_BEHAVIOUR =
      Map.of(
          Setting.CLOSE_ON_SHUTDOWN,
          "ConnmgrAutoConfigurationTests.closeOnShutdownClosesEveryConnectionWithAShutdownRecord",
          Setting.RESTORE_STATE_ON_RECONNECT,
          "ConnmgrAutoConfigurationTests.theEvictionMemoryBindsItsSettingsAndCanBeTurnedOff");

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class));

  private static Map<Setting, String> refused() {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    values.put(Setting.LOW_WATER, "connmgr.low-water=0");
    values.put(Setting.HIGH_WATER, "connmgr.high-water=-1");
    values.put(Setting.GRACE_PERIOD, "connmgr.grace-period=-1s");
    values.put(Setting.SILENCE_PERIOD, "connmgr.silence-period=2d");
    values.put(Setting.MAINTENANCE_INTERVAL, "connmgr.maintenance-interval=1ms");
    values.put(Setting.HISTORY_SIZE, "connmgr.history-size=-1");
    values.put(Setting.MAX_LEASE, "connmgr.max-lease=0s");
    values.put(Setting.MAX_LEASE_LIFETIME, "connmgr.max-lease-lifetime=8d");
    values.put(Setting.SCORER_BUDGET, "connmgr.scorer-budget=0s");
    values.put(Setting.CALLBACK_BUDGET, "connmgr.callback-budget=11m");
    values.put(Setting.SCORER_WEIGHT, "connmgr.scorers.latency.weight=1000.5");
    values.put(Setting.MAX_CONNECTIONS, "connmgr.admission.max-connections=1");
    values.put(Setting.MAX_CONNECTIONS_PER_PEER, "connmgr.admission.max-connections-per-peer=0");
    values.put(Setting.MAX_INBOUND_SHARE, "connmgr.admission.max-inbound-share=2");
    values.put(Setting.ALLOW, "connmgr.admission.allow=unverified:alice");
    values.put(Setting.EMERGENCY_HEAP_THRESHOLD, "connmgr.emergency.heap-threshold=1");
    values.put(Setting.EVICTION_MEMORY_SIZE, "connmgr.eviction-memory.size=1000001");
    values.put(Setting.EVICTION_MEMORY_WINDOW, "connmgr.eviction-memory.window=0s");
    values.put(Setting.RECONNECT_BACKOFF, "connmgr.eviction-memory.backoff=2d");
    return values;
  }

  @Test
  void everySettingHasAPropertyOrAStatedWayToSetIt() {
    for (Setting setting : Setting.values()) {
      assertThat(
              PropertiesMapping.property(setting).isPresent()
                  || PropertiesMapping.NOT_PROPERTIES.containsKey(setting))
          .as("%s has a property or a stated way to set it", setting)
          .isTrue();
      assertThat(
              PropertiesMapping.property(setting).isPresent()
                  && PropertiesMapping.NOT_PROPERTIES.containsKey(setting))
          .as("%s both", setting)
          .isFalse();
    }
  }

  @Test
  void everyPropertyReachesItsBuilderSetting() {
    Set<Setting> mapped = EnumSet.noneOf(Setting.class);
    for (Setting setting : Setting.values()) {
      if (PropertiesMapping.property(setting).isPresent()) {
        mapped.add(setting);
      }
    }
    Set<Setting> covered = EnumSet.copyOf(REFUSED.keySet());
    covered.add(Setting.DENY);
    covered.addAll(SHOWN_BY_BEHAVIOUR.keySet());
    assertThat(covered).isEqualTo(mapped);

    REFUSED.forEach(
        (setting, property) ->
            runner
                .withPropertyValues(property)
                .run(
                    context ->
                        assertThat(violations(context.getStartupFailure()))
                            .as(property)
                            .extracting(InvalidSettingsException.Violation::setting)
                            .containsExactly(setting)));
    runner
        .withPropertyValues("connmgr.admission.allow=both", "connmgr.admission.deny=both")
        .run(
            context ->
                assertThat(violations(context.getStartupFailure()))
                    .extracting(InvalidSettingsException.Violation::setting)
                    .containsExactly(Setting.DENY));
  }

  @Test
  void aViolationIsNamedByItsProperty() {
    InvalidSettingsException.Violation weight =
        new InvalidSettingsException.Violation(
            Setting.SCORER_WEIGHT, "latency", "-1.0", "must be between 0 and 1000", List.of());
    InvalidSettingsException.Violation low =
        new InvalidSettingsException.Violation(
            Setting.LOW_WATER,
            null,
            "9",
            "must not be above high water (3)",
            List.of(Setting.HIGH_WATER));

    assertThat(PropertiesMapping.asProperties(List.of(weight, low)))
        .containsExactly(
            new InvalidConnmgrPropertiesException.Violation(
                "connmgr.scorers.latency.weight", "-1.0", "must be between 0 and 1000"),
            new InvalidConnmgrPropertiesException.Violation(
                "connmgr.low-water",
                "9",
                "must not be above high water (3) (see also connmgr.high-water)"));
  }

  @Test
  void theConfigurationMetadataShowsTheBuildersDefaults() throws IOException {
    Map<String, JsonNode> metadata = new HashMap<>();
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      JsonNode root = JsonMapper.builder().build().readTree(in);
      root.get("properties").forEach(p -> metadata.put(p.get("name").asString(), p));
    }
    for (Setting setting : Setting.values()) {
      String property = PropertiesMapping.property(setting).orElse(null);
      if (property == null || property.contains("<name>")) {
        continue;
      }
      assertThat(metadata).as("metadata of %s", property).containsKey(property);
      JsonNode shown = metadata.get(property).get("defaultValue");
      Object expected = setting.defaultValue().orElse(null);
      if (expected == null) {
        assertThat(shown).as("%s has no default", property).isNull();
      } else {
        assertThat(shown).as("default of %s", property).isNotNull();
        assertThat(typed(shown, expected)).as("default of %s", property).isEqualTo(expected);
      }
    }
  }

  @Test
  void docsStarterMdListsEveryPropertyWithItsBuilderSettingAndDefault() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "starter.md"));
    Map<String, String[]> rows = new HashMap<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `(connmgr\\.[^`]+)` \\| ([^|]*) \\| ([^|]*) \\|").matcher(doc);
    while (row.find()) {
      rows.put(row.group(1), new String[] {row.group(3).trim(), row.group(2).trim()});
    }
    for (Setting setting : Setting.values()) {
      String property = PropertiesMapping.property(setting).orElse(null);
      if (property == null) {
        continue;
      }
      assertThat(rows).as("docs/starter.md row of %s", property).containsKey(property);
      assertThat(rows.get(property)[0])
          .as("builder setting of %s", property)
          .isEqualTo("`" + setting.builderName() + "`");
      String shown =
          setting.defaultValue().isPresent()
              ? "`" + setting.defaultText() + "`"
              : setting.defaultText();
      assertThat(rows.get(property)[1]).as("default of %s", property).isEqualTo(shown);
    }
  }

  private static Object typed(JsonNode shown, Object like) {
    if (like instanceof Duration) {
      return DurationStyle.detectAndParse(shown.asString());
    }
    if (like instanceof Integer) {
      return shown.asInt();
    }
    if (like instanceof Double) {
      return shown.asDouble();
    }
    return shown.asBoolean();
  }

  private static List<InvalidSettingsException.Violation> violations(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidSettingsException e) {
        return e.violations();
      }
    }
    throw new AssertionError("no InvalidSettingsException in " + failure);
  }
}
