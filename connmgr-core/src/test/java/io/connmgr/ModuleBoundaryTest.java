package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core as a JPMS module: a module that requires {@code io.connmgr} compiles against its API and
 * cannot compile against {@code io.connmgr.internal}. The other tests run on the class path.
 */
class ModuleBoundaryTest {

  @Test
  void theModuleExportsOnlyTheApiPackages() throws Exception {
    ModuleReference core =
        ModuleFinder.of(classesOf(ConnectionManager.class)).find("io.connmgr").orElseThrow();
    ModuleDescriptor descriptor = core.descriptor();

    assertThat(descriptor.isAutomatic())
        .as("a module-info.class, not an automatic module")
        .isFalse();
    assertThat(descriptor.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("io.connmgr", "io.connmgr.inspect");
    assertThat(descriptor.packages()).contains("io.connmgr.internal");
  }

  @Test
  void aModuleUsingTheApiCompiles(@TempDir Path dir) throws Exception {
    String errors =
        compileConsumer(
            dir,
            """
        package consumer;

        import io.connmgr.ConnectionManager;

        public class Uses {
          public static ConnectionManager manager() {
            return ConnectionManager.builder().lowWater(2).highWater(4).build();
          }
        }
        """);

    assertThat(errors).as("javac's output").isEmpty();
  }

  @Test
  void aModuleReachingIntoInternalDoesNotCompile(@TempDir Path dir) throws Exception {
    String errors =
        compileConsumer(
            dir,
            """
        package consumer;

        public class Uses {
          public static Object components() {
            return io.connmgr.internal.ManagerComponents.class;
          }
        }
        """);

    assertThat(errors)
        .contains("package io.connmgr.internal is not visible")
        .contains("does not export it");
  }

  /** Compiles module {@code consumer} (requires io.connmgr) with one class; what javac printed. */
  private static String compileConsumer(Path dir, String uses) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/consumer"));
    Files.writeString(
        src.resolveSibling("module-info.java"), "module consumer { requires io.connmgr; }");
    Files.writeString(src.resolve("Uses.java"), uses);
    String modulePath =
        List.of(classesOf(ConnectionManager.class), classesOf(NullMarked.class)).stream()
            .map(Path::toString)
            .collect(Collectors.joining(java.io.File.pathSeparator));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    javac
        .getTask(
            errors,
            null,
            null,
            // an empty class path: javac would otherwise take this JVM's, which holds the core too
            List.of(
                "-d",
                dir.resolve("out").toString(),
                "--module-path",
                modulePath,
                "-classpath",
                Files.createDirectories(dir.resolve("no-classes")).toString(),
                "-proc:none"),
            null,
            javac
                .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                .getJavaFileObjects(
                    src.resolveSibling("module-info.java").toFile(),
                    src.resolve("Uses.java").toFile()))
        .call();
    return errors.toString();
  }

  /** The directory or jar a class was loaded from. */
  private static Path classesOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
