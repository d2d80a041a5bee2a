package io.connmgr.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.PeerId;
import io.connmgr.autoconfigure.Connections;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class AuditTrailTests {

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final Operator ops = new Operator("ops", ActionSource.API);

  @Test
  void operatorActionsOutliveAnyNumberOfRoundsInTheirOwnBoundedHistory() {
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .lowWater(1)
            .highWater(2)
            .gracePeriod(Duration.ZERO)
            .silencePeriod(Duration.ZERO)
            .historySize(10)
            .maintenanceInterval(Duration.ZERO)
            .build()) {
      AuditTrail trail = new AuditTrail(3, (InstantSource) now::get);
      OperatorActions actions = new OperatorActions(cm, trail);
      Connections connections = new Connections(cm);
      actions.pin(ops, PeerId.of("kept"));
      for (int i = 0; i < 50; i++) { // rounds fill the eviction history many times over
        connections.open("p" + i + "a");
        connections.open("p" + i + "b", Direction.OUTBOUND);
        connections.open("p" + i + "c");
        cm.trim();
      }
      assertThat(cm.inspect().evictionHistory()).hasSize(10);
      assertThat(trail.entries())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.action()).isEqualTo(OperatorAction.PIN);
                assertThat(e.principal()).isEqualTo("ops");
                assertThat(e.source()).isEqualTo(ActionSource.API);
                assertThat(e.at()).isEqualTo(now.get());
              });

      actions.unpin(ops, PeerId.of("kept"));
      actions.trim(ops);
      actions.evict(ops, 999_999, "gone");
      assertThat(trail.entries())
          .extracting(AuditEntry::action)
          .containsExactly(OperatorAction.EVICT, OperatorAction.TRIM, OperatorAction.UNPIN);
      assertThat(trail.entries().get(0).outcome()).isEqualTo("not open; nothing evicted");
    }
  }

  @Test
  void actionsThatChangedNothingAreOnRecordAsFailedWithTheReason() {
    try (ConnectionManager cm =
        ConnectionManager.builder().maintenanceInterval(Duration.ZERO).build()) {
      AuditTrail trail = new AuditTrail(10, (InstantSource) now::get);
      OperatorActions actions = new OperatorActions(cm, trail);
      assertThat(actions.evict(ops, 999_999, "gone")).isFalse();
      assertThat(actions.evictPeer(ops, PeerId.of("nobody"), "gone")).isEmpty();
      actions.unpin(ops, PeerId.of("never-pinned"));

      assertThat(trail.entries())
          .extracting(AuditEntry::succeeded, AuditEntry::outcome)
          .containsExactly(
              tuple(false, "was not pinned; nothing unpinned"),
              tuple(false, "no open connection; nothing evicted"),
              tuple(false, "not open; nothing evicted"));
      assertThat(trail.entries())
          .allSatisfy(e -> assertThat(e.toString()).contains("result=failed"));
    }
  }

  @Test
  void everyEntryIsOneInfoLineOnTheAuditLoggerWhateverItsText(CapturedOutput output) {
    AuditTrail trail = new AuditTrail(10, (InstantSource) now::get);
    trail.record(
        new Operator("mallory\nINFO forged line", ActionSource.CONSOLE),
        OperatorAction.EVICT,
        "connection 7",
        AuditResult.DONE,
        "evicted: \"why\"");
    String line =
        output
            .getOut()
            .lines()
            .filter(l -> l.contains(AuditTrail.LOGGER))
            .findFirst()
            .orElseThrow();
    assertThat(line)
        .contains("INFO")
        .contains("principal=\"mallory\\u000aINFO forged line\"")
        .contains("source=console action=evict target=\"connection 7\" result=done")
        .contains("outcome=\"evicted: \\\"why\\\"\"");
    assertThat(output.getOut()).doesNotContain("\nINFO forged line");
  }

  @Test
  void refusalsAreKeptInARingOfTheirOwnAndReadMergedNewestFirst() {
    AuditTrail trail = new AuditTrail(3, (InstantSource) now::get);
    Operator viewer = new Operator("viewer", ActionSource.ACTUATOR);
    trail.record(ops, OperatorAction.PIN, "a", AuditResult.DONE, "pinned");
    for (int i = 0; i < 5; i++) {
      trail.record(viewer, OperatorAction.PIN, "x" + i, AuditResult.REFUSED, "refused: no role");
    }
    trail.record(ops, OperatorAction.UNPIN, "a", AuditResult.DONE, "unpinned");

    assertThat(trail.entries())
        .extracting(AuditEntry::target)
        .containsExactly("a", "x4", "x3", "x2", "a");
  }

  @Test
  void lineAndParagraphSeparatorsAndInvisibleFormatCharactersAreEscapedLikeControls() {
    AuditTrail trail = new AuditTrail(10, (InstantSource) now::get);
    AuditEntry entry =
        trail.record(
            ops,
            OperatorAction.EVICT,
            "connection 7",
            AuditResult.DONE,
            "evicted: a\u2028b\u2029c\u202ed\u200be\uDB40\uDC01f");
    assertThat(entry.toString())
        .contains("outcome=\"evicted: a\\u2028b\\u2029c\\u202ed\\u200be\\udb40\\udc01f\"")
        .doesNotContain("\u2028")
        .doesNotContain("\u2029")
        .doesNotContain("\u202e")
        .doesNotContain("\u200b");
  }

  @Test
  void aFailingSubscriberNeitherLosesTheEntryNorStopsTheOthers() {
    AuditTrail trail = new AuditTrail(10, (InstantSource) now::get);
    List<AuditEntry> seen = new ArrayList<>();
    trail.subscribe(
        e -> {
          throw new IllegalStateException("broken");
        });
    trail.subscribe(seen::add).close();
    trail.subscribe(seen::add);
    trail.record(ops, OperatorAction.TRIM, OperatorActions.MANAGER, AuditResult.DONE, "done");
    assertThat(seen).hasSize(1);
    assertThat(trail.entries()).hasSize(1);
  }

  @Test
  void aRefusedActionIsOnRecordAndStillThrows() {
    try (ConnectionManager cm =
        ConnectionManager.builder().maintenanceInterval(Duration.ZERO).build()) {
      AuditTrail trail = new AuditTrail(10, (InstantSource) now::get);
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new OperatorActions(cm, trail).pin(ops, PeerId.unverified("stable-1")));
      assertThat(trail.entries())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.succeeded()).isFalse();
                assertThat(e.outcome()).startsWith("refused: ").contains("unverified");
              });
      assertThatIllegalArgumentException().isThrownBy(() -> new AuditTrail(0, now::get));
    }
  }
}
