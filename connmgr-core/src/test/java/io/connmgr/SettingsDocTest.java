package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/core.md's table of builder settings shows every {@link Setting} with its default. */
class SettingsDocTest {

  @Test
  void theBuilderSettingsTableListsEverySettingWithItsDefault() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "core.md"));
    String table =
        doc.substring(doc.indexOf("## Builder settings"), doc.indexOf("## Bounds and limits"));
    Map<String, String> defaults = new LinkedHashMap<>();
    Matcher row = Pattern.compile("(?m)^\\| `(\\w+)[^`]*` \\| ([^|]+) \\|").matcher(table);
    while (row.find()) {
      defaults.put(row.group(1), row.group(2).trim());
    }

    for (Setting setting : Setting.values()) {
      String shown =
          setting.defaultText().equals("none") ? "none" : "`" + setting.defaultText() + "`";
      assertThat(defaults)
          .as("docs/core.md row of %s", setting)
          .containsEntry(setting.builderName(), shown);
    }
    assertThat(defaults).hasSize(Setting.values().length);
  }
}
