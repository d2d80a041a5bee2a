package io.connmgr.sample.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code promtool} and insists that it succeeds, showing its output when it does not. */
final class Promtool {

  private final Path binary;

  Promtool(PrometheusBinaries binaries) {
    this.binary = binaries.promtool();
  }

  /** {@code promtool check rules FILE}: syntax, expressions and templates. */
  String checkRules(Path rules) throws IOException, InterruptedException {
    return run("check", "rules", rules.toString());
  }

  /** {@code promtool test rules FILE}: the rules' unit tests. */
  String testRules(Path tests) throws IOException, InterruptedException {
    return run("test", "rules", tests.toString());
  }

  private String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    // promtool writes little; reading to the end also waits for it to exit
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(process.exitValue())
        .as("exit status of %s; its output:%n%s", String.join(" ", command), output)
        .isZero();
    return output;
  }
}
