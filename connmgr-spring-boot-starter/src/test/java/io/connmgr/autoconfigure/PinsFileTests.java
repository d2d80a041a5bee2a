package io.connmgr.autoconfigure;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.audit.ActionSource;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.Operator;
import io.connmgr.audit.OperatorActions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class PinsFileTests {

  @TempDir Path dir;

  private ApplicationContextRunner runner(Path file) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class))
        .withPropertyValues("connmgr.pins-file=" + file, "connmgr.maintenance-interval=0");
  }

  @Test
  void operatorPinsSurviveARestart() {
    Path file = dir.resolve("state/pins.txt");
    PeerId odd = PeerId.of("peer with spaces & <html> #1");
    runner(file)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              cm.pin(PeerId.of("QmStable"));
              cm.pin(odd);
              cm.pin(PeerId.of("QmGone"));
              cm.unpin(PeerId.of("QmGone"));
              cm.protect(PeerId.of("QmRelay"), "relay"); // not an operator pin
            });
    assertThat(file).exists();

    runner(file)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(cm.protections().keySet())
                  .containsExactlyInAnyOrder(PeerId.of("QmStable"), odd);
              assertThat(cm.isProtected(odd, ConnectionManager.PIN_TAG)).isTrue();
            });
  }

  @Test
  void writesGoThroughATemporaryFileAndLeaveNoneBehind() throws Exception {
    Path file = dir.resolve("pins.txt");
    runner(file)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              for (int i = 0; i < 20; i++) {
                cm.pin(PeerId.of("p" + i));
              }
            });
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
        .hasSize(21)
        .first()
        .asString()
        .startsWith("#");
  }

  @Test
  void aCorruptFileIsReportedMovedAsideAndIgnored(CapturedOutput output) throws Exception {
    Path file = dir.resolve("pins.txt");
    Files.writeString(file, "QmGood\n" + "x".repeat(300) + "\n", StandardCharsets.UTF_8);

    runner(file)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(cm.protections()).isEmpty();
              cm.pin(PeerId.of("QmNew"));
            });

    assertThat(output).contains("could not be used").contains("line 2");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("pins.txt.corrupt-"));
    }
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).contains("QmNew");
  }

  @Test
  void aSymlinkedFileIsWrittenThroughToItsTargetAndStaysALink() throws Exception {
    Path volume = Files.createDirectories(dir.resolve("volume"));
    Path target = volume.resolve("pins.txt");
    Files.writeString(target, "QmOld\n", StandardCharsets.UTF_8);
    Path link = Files.createSymbolicLink(dir.resolve("pins.txt"), Path.of("volume/pins.txt"));

    runner(link)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(cm.isProtected(PeerId.of("QmOld"), ConnectionManager.PIN_TAG)).isTrue();
              cm.pin(PeerId.of("QmNew"));
            });

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readAllLines(target, StandardCharsets.UTF_8)).contains("QmOld", "QmNew");
    try (Stream<Path> files = Files.list(volume)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void staticPeersComeFromTheConfigurationOnly() throws Exception {
    Path file = dir.resolve("pins.txt");
    runner(file)
        .withPropertyValues("connmgr.static-peers=stable-1")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(cm.isProtected(PeerId.of("stable-1"), ConnectionManager.PIN_TAG)).isTrue();
              cm.pin(PeerId.of("QmOperator"));
            });
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
        .contains("QmOperator")
        .doesNotContain("stable-1");

    runner(file)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(cm.protections().keySet()).containsExactly(PeerId.of("QmOperator"));
            });
  }

  @Test
  void aFileAboveTheSizeLimitIsReportedMovedAsideAndIgnored(CapturedOutput output)
      throws Exception {
    Path file = dir.resolve("pins.txt");
    byte[] line = "QmBig\n".getBytes(StandardCharsets.UTF_8);
    try (var out = Files.newOutputStream(file)) {
      for (long written = 0; written <= PinsFile.MAX_BYTES; written += line.length) {
        out.write(line);
      }
    }

    runner(file)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(ConnectionManager.class).protections()).isEmpty();
            });

    assertThat(output).contains("above the limit of " + PinsFile.MAX_BYTES);
    assertThat(file).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("pins.txt.corrupt-"));
    }
  }

  /** A 256-character id whose every character takes 9 bytes once URL-encoded. */
  private static PeerId wide(int i) {
    String n = Integer.toString(i);
    return PeerId.of(n + "\u20ac".repeat(PeerId.MAX_LENGTH - n.length()));
  }

  @Test
  void anOperatorPinThatWouldPassTheSizeLimitIsRefusedOnRecordAndTheRestComeBack() {
    Path file = dir.resolve("pins.txt");
    List<PeerId> pinned = new ArrayList<>();
    runner(file)
        .withConfiguration(AutoConfigurations.of(ConnmgrOperatorAutoConfiguration.class))
        .run(
            context -> {
              OperatorActions actions = context.getBean(OperatorActions.class);
              Operator ops = new Operator("ops", ActionSource.API);
              for (int i = 0; i < 600; i++) { // 600 such pins are far past the limit
                PeerId peer = wide(i);
                try {
                  actions.pin(ops, peer);
                } catch (IllegalStateException e) {
                  assertThat(e).hasMessageContaining("above its limit of " + PinsFile.MAX_BYTES);
                  break;
                }
                pinned.add(peer);
              }
              assertThat(pinned).as("pins carried out before one was refused").hasSizeLessThan(600);
              assertThat(context.getBean(AuditTrail.class).entries().get(0))
                  .satisfies(
                      e -> {
                        assertThat(e.succeeded()).isFalse();
                        assertThat(e.outcome()).contains("above its limit");
                      });
            });
    assertThat(pinned).hasSizeGreaterThan(400);
    assertThat(file).exists();
    assertThat(file.toFile().length()).isLessThanOrEqualTo(PinsFile.MAX_BYTES);

    runner(file)
        .run(
            context ->
                assertThat(context.getBean(ConnectionManager.class).protections().keySet())
                    .containsExactlyInAnyOrderElementsOf(pinned));
  }

  @Test
  void pinsByCodePastTheSizeLimitNeverWriteAFileTheNextStartRejects(CapturedOutput output) {
    Path file = dir.resolve("pins.txt");
    List<PeerId> pinned = new ArrayList<>();
    runner(file)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              for (int i = 0; i < 500; i++) {
                cm.pin(wide(i));
                pinned.add(wide(i));
              }
            });
    assertThat(output)
        .contains("was not written")
        .contains("above its limit of " + PinsFile.MAX_BYTES);
    assertThat(file.toFile().length()).isLessThanOrEqualTo(PinsFile.MAX_BYTES);

    runner(file)
        .run(
            context ->
                assertThat(context.getBean(ConnectionManager.class).protections().keySet())
                    .isNotEmpty() // saves run after the pins: the last that fitted held some
                    .isSubsetOf(pinned));
    assertThat(output).doesNotContain("could not be used");
  }

  @Test
  void temporaryFilesLeftByACrashAreDeletedAtStart() throws Exception {
    Path file = dir.resolve("pins.txt");
    Files.writeString(file, "QmKept\n", StandardCharsets.UTF_8);
    Path older = Files.writeString(dir.resolve("pins.txt8412337779.tmp"), "Qm", UTF_8);
    Path newer = Files.writeString(dir.resolve("pins.txt.5512.tmp"), "Qm", UTF_8);
    Path unrelated = Files.writeString(dir.resolve("other.txt.tmp"), "keep", UTF_8);

    runner(file)
        .run(
            context ->
                assertThat(
                        context
                            .getBean(ConnectionManager.class)
                            .isProtected(PeerId.of("QmKept"), ConnectionManager.PIN_TAG))
                    .isTrue());

    assertThat(older).doesNotExist();
    assertThat(newer).doesNotExist();
    assertThat(unrelated).exists();
  }

  @Test
  void anUnverifiedIdInTheFileIsRefusedLikeACorruptLine(CapturedOutput output) throws Exception {
    Path file = dir.resolve("pins.txt");
    Files.writeString(file, "unverified%3Astable-1\n", StandardCharsets.UTF_8);
    runner(file)
        .run(
            context ->
                assertThat(context.getBean(ConnectionManager.class).protections()).isEmpty());
    assertThat(output).contains("line 1: an unverified id cannot be pinned");
  }

  @Test
  void noPinsFileNoBean() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(PinsFile.class));
  }
}
