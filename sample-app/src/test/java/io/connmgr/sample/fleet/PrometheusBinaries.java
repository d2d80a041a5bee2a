package io.connmgr.sample.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds Debian's {@code prometheus} and {@code promtool} ({@code /usr/bin}, else the {@code PATH}).
 * Where they are absent the calling tests are skipped with the reason, and fail instead when {@code
 * CI=true}: {@code .ci/run} installs the package, so there an absent binary is a broken machine,
 * not a reason to skip.
 */
record PrometheusBinaries(Path prometheus, Path promtool) {

  /** The binaries, or a skipped (failed, with {@code CI=true}) test that says what is missing. */
  static PrometheusBinaries require() {
    Optional<Path> prometheus = find("prometheus");
    Optional<Path> promtool = find("promtool");
    if (prometheus.isEmpty() || promtool.isEmpty()) {
      String message =
          "Prometheus is not installed (no executable prometheus and promtool in"
              + " /usr/bin or on the PATH); on Debian: apt-get install prometheus (.ci/run does)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail("CI=true and " + message);
      }
      // Surefire counts a class aborted before its first test as "0 run": say why in the log
      System.err.println("[fleet tests] skipped: " + message);
      Assumptions.abort("skipped: " + message);
    }
    return new PrometheusBinaries(prometheus.get(), promtool.get());
  }

  private static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(Stream.of("/usr/bin"), Stream.of(path.split(java.io.File.pathSeparator)))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
