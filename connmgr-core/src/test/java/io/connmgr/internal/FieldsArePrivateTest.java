package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's shape: no class of the engine reads another's fields. Every field of every class
 * here (nested ones too) is private, but constants; what one class needs of another it asks through
 * a named method.
 */
class FieldsArePrivateTest {

  @Test
  void everyFieldOfTheEngineIsPrivateButConstants() throws Exception {
    List<String> open = new ArrayList<>();
    List<Class<?>> classes = engineClasses();
    for (Class<?> type : classes) {
      for (Field field : type.getDeclaredFields()) {
        int m = field.getModifiers();
        boolean constant = Modifier.isStatic(m) && Modifier.isFinal(m);
        if (!field.isSynthetic() && !constant && !Modifier.isPrivate(m)) {
          open.add(type.getName() + "." + field.getName());
        }
      }
    }
    assertThat(classes).hasSizeGreaterThan(40);
    assertThat(open).as("fields other classes could read").isEmpty();
  }

  @Test
  void noHubMirrorsTheFacade() throws Exception {
    assertThat(engineClasses()).extracting(Class::getSimpleName).doesNotContain("Engine");
  }

  /** Every class compiled into this package, nested ones included. */
  private static List<Class<?>> engineClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path dir =
        Path.of(ConnectionEntry.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("io/connmgr/internal");
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = file.getFileName().toString().replace(".class", "");
        if (!name.equals("package-info")) {
          classes.add(
              Class.forName(
                  "io.connmgr.internal." + name,
                  false,
                  FieldsArePrivateTest.class.getClassLoader()));
        }
      }
    }
    return classes;
  }
}
