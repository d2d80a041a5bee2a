package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example, read from the README itself: the Java block after "The core in one example"
 * is compiled with the JDK's compiler beside small stand-ins for what it leaves to the reader (the
 * sockets, the log, {@code LatencyStats}), run against this build of the core, and held to what its
 * comments promise. If the README drifts from the API or from what the manager does, this fails.
 */
class ReadmeExampleTest {

  static final Path README = Path.of("..", "README.md");

  /** What the example leaves to the reader, and a record of what it did. */
  static final String SUPPORT =
      """
      import io.connmgr.*;
      import io.connmgr.inspect.*;
      import java.time.Duration;
      import java.util.List;
      import java.util.concurrent.CopyOnWriteArrayList;

      public class ReadmeExample {
        public static final List<String> closed = new CopyOnWriteArrayList<>();
        public static final List<String> logged = new CopyOnWriteArrayList<>();

        public static final class LatencyStats {
          private long samples;
          private long totalMillis;
          public void record(Duration rtt) { samples++; totalMillis += rtt.toMillis(); }
          public long meanMillis() { return samples == 0 ? 0 : totalMillis / samples; }
        }

        public interface Socket { void close(String reason); }
        static Socket socket(String name) { return reason -> closed.add(name); }
        static final Socket socketA = socket("A"), socketB = socket("B"), socketC = socket("C"),
            socketD = socket("D");

        public static final class Log {
          public void info(String format, Object... args) {
            String out = format;
            for (Object arg : args) {
              out = out.replaceFirst("\\\\{\\\\}", java.util.regex.Matcher.quoteReplacement(
                  String.valueOf(arg)));
            }
            logged.add(out);
          }
        }
        static final Log log = new Log();

      %s

        public static void run() throws Exception {
      %s
        }
      }
      """;

  @Test
  void theReadmesExampleCompilesRunsAndDoesWhatItsCommentsSay(@TempDir Path dir) throws Exception {
    String block =
        javaBlockAfter(
            Files.readString(README, StandardCharsets.UTF_8), "## The core in one example");
    int body = block.indexOf("try (");
    assertThat(body).as("the example is a try-with-resources block").isPositive();
    Path source = dir.resolve("ReadmeExample.java");
    Files.writeString(source, SUPPORT.formatted(block.substring(0, body), block.substring(body)));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    java.io.StringWriter errors = new java.io.StringWriter();
    int status =
        javac
                .getTask(
                    errors,
                    null,
                    null,
                    List.of(
                        "-d",
                        dir.toString(),
                        "-classpath",
                        System.getProperty("java.class.path"),
                        "-proc:none"),
                    null,
                    javac
                        .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(source.toFile()))
                .call()
            ? 0
            : 1;
    assertThat(status).as("the README's example compiles:%n%s", errors).isZero();

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> example = loader.loadClass("ReadmeExample");
      example.getMethod("run").invoke(null);
      List<String> logged = strings(field(example, "logged"));
      List<String> closed = strings(field(example, "closed"));

      assertThat(logged)
          .last()
          .as("the summary the README quotes")
          .isEqualTo(quotedAfter(block, "log.info(report.summary());"));
      assertThat(closed)
          .as("the sockets closed, as the comment on trim() says")
          .containsExactly("D", "C");
      assertThat(logged.get(0)).startsWith("QmPeerD: ").contains("scorer:latency=0.0");
      assertThat(logged.get(1)).startsWith("QmPeerC: ").contains("scorer:latency=100.0");
    }
  }

  static String javaBlockAfter(String markdown, String heading) {
    int at = markdown.indexOf(heading);
    assertThat(at).as("the README has a section '%s'", heading).isNotNegative();
    int open = markdown.indexOf("```java\n", at);
    int close = markdown.indexOf("\n```", open + 8);
    assertThat(open).as("a java block follows '%s'", heading).isPositive();
    return markdown.substring(open + 8, close + 1);
  }

  /** The string quoted in the comment on the line that holds {@code code}. */
  static String quotedAfter(String block, String code) {
    Matcher m = Pattern.compile(Pattern.quote(code) + "\\s*//\\s*\"([^\"]*)\"").matcher(block);
    assertThat(m.find()).as("a quoted comment after %s", code).isTrue();
    return m.group(1);
  }

  static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  static Object field(Class<?> type, String name) throws ReflectiveOperationException {
    Field f = type.getField(name);
    return f.get(null);
  }
}
