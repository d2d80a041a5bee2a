package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The property tables of {@code docs/starter.md} and {@code docs/console.md} against the
 * configuration metadata that the annotation processor generates from the properties classes (the
 * starter's and the console's {@code META-INF/spring-configuration-metadata.json}, both on this
 * module's classpath): every {@code connmgr.*} property is documented in its page, every documented
 * property exists, and where the metadata knows a default the table states the same.
 */
class DocsPropertyTablesTest {

  static final Path DOCS = Path.of("..", "docs");
  static final String HEADER = "| property | default |";
  static final Pattern ROW =
      Pattern.compile("^\\| `([a-z][a-z0-9.<>-]*)` \\| ([^|]*) \\|", Pattern.MULTILINE);

  /** One property as the metadata describes it; the default is null when it has none. */
  record Metadata(String type, @Nullable String defaultValue) {}

  @Test
  void theConsolePropertyTableMatchesTheMetadata() throws IOException {
    check("console.md", name -> name.startsWith("connmgr.console."));
  }

  @Test
  void theStarterPropertyTableMatchesTheMetadata() throws IOException {
    check(
        "starter.md",
        name ->
            name.startsWith("connmgr.") && !name.startsWith("connmgr.console.")
                || name.equals("management.health.connmgr.enabled"));
  }

  void check(String page, java.util.function.Predicate<String> ours) throws IOException {
    Map<String, String> documented =
        table(Files.readString(DOCS.resolve(page), StandardCharsets.UTF_8));
    Map<String, Metadata> metadata = new TreeMap<>();
    metadata()
        .forEach(
            (name, m) -> {
              if (ours.test(name)) {
                metadata.put(name, m);
              }
            });
    assertThat(metadata).as("metadata found").isNotEmpty();
    for (String name : metadata.keySet()) {
      boolean map = metadata.get(name).type().startsWith("java.util.Map<");
      assertThat(
              documented.keySet().stream()
                  .anyMatch(d -> d.equals(name) || map && d.startsWith(name + ".<")))
          .as("%s documents %s", page, name)
          .isTrue();
    }
    documented.forEach(
        (name, dflt) -> {
          String key = name.contains(".<") ? name.substring(0, name.indexOf(".<")) : name;
          assertThat(metadata)
              .as("%s documents %s, which the metadata does not know", page, name)
              .containsKey(key);
          String known = metadata.get(key).defaultValue();
          if (known != null && key.equals(name)) {
            assertThat(dflt.strip().replace("`", ""))
                .as("the default of %s in %s", name, page)
                .isEqualTo(known);
          }
          if (known == null && key.equals(name)) {
            assertThat(dflt.strip())
                .as("%s has no default in the metadata", name)
                .isIn("none", "unset", "empty");
          }
        });
  }

  /** The rows of the tables headed "| property | default | ...". */
  static Map<String, String> table(String markdown) {
    StringBuilder tables = new StringBuilder();
    int at = markdown.indexOf(HEADER);
    while (at >= 0) {
      int end = markdown.indexOf("\n\n", at);
      tables.append(markdown, at, end < 0 ? markdown.length() : end).append('\n');
      at = markdown.indexOf(HEADER, at + HEADER.length());
    }
    assertThat(tables).as("a property table").isNotEmpty();
    Map<String, String> rows = new TreeMap<>();
    Matcher m = ROW.matcher(tables);
    while (m.find()) {
      if (m.group(1).startsWith("connmgr.") || m.group(1).startsWith("management.")) {
        rows.put(m.group(1), m.group(2));
      }
    }
    return rows;
  }

  /** A default as the tables write it: a list's elements joined by commas; none for empty. */
  static @Nullable String defaultOf(@Nullable JsonNode d) {
    if (d == null || d.isNull() || d.isArray() && d.isEmpty()) {
      return null;
    }
    if (d.isArray()) {
      java.util.List<String> items = new java.util.ArrayList<>();
      d.forEach(item -> items.add(item.asString()));
      return String.join(",", items);
    }
    return d.asString();
  }

  static Map<String, Metadata> metadata() throws IOException {
    Map<String, Metadata> all = new TreeMap<>();
    JsonMapper json = JsonMapper.builder().build();
    for (URL url :
        Collections.list(
            DocsPropertyTablesTest.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        for (JsonNode p : json.readTree(in).get("properties")) {
          JsonNode d = p.get("defaultValue");
          all.put(
              p.get("name").asString(),
              new Metadata(p.has("type") ? p.get("type").asString() : "", defaultOf(d)));
        }
      }
    }
    return all;
  }
}
