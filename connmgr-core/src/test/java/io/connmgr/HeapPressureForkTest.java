package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Fills the heap of a real forked JVM until the JVM's own threshold notice fires a round. */
class HeapPressureForkTest {

  @Test
  void realHeapPressureRunsAnEmergencyRoundThatFreesConnections() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx128m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    HeapPressureMain.class.getName()))
            .redirectErrorStream(true)
            .start();
    boolean exited = p.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exited).as("forked JVM finished; output:%n%s", out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();

    Matcher m =
        Pattern.compile("EMERGENCY before=(\\d+) target=(\\d+) freed=(\\d+) after=(\\d+)")
            .matcher(out);
    assertThat(m.find()).as(out).isTrue();
    int before = Integer.parseInt(m.group(1));
    int target = Integer.parseInt(m.group(2));
    int freed = Integer.parseInt(m.group(3));
    // down to low water (20) from what was open as the round began; the child keeps connecting
    // while the round runs, so one may land between the round's count and its target
    assertThat(target).as(out).isBetween(before - 20, before - 20 + 2);
    assertThat(freed).as(out).isEqualTo(target);
    assertThat(before).isGreaterThan(20);
    record(out);
  }

  private static void record(String out) throws IOException {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("emergency-fork.txt"), out);
    }
  }
}
