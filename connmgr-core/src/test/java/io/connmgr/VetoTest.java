package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VetoTest {

  @Test
  void aVetoedCandidateIsSkippedAndTheRoundTakesTheNextOne() {
    try (Harness h = new Harness(2, 2)) {
      for (int i = 0; i < 4; i++) {
        h.open("p" + i);
        h.cm.tagPeer(PeerId.of("p" + i), "v", i);
      }
      h.cm.registerVeto(
          "keep-p0",
          (c, round) ->
              c.peer().value().equals("p0") ? Verdict.veto("p0 is special") : Verdict.allow());
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("p1", "p2");
      assertThat(report.skipped().get(SkipReason.VETOED)).isEqualTo(1);
      assertThat(report.vetoes()).containsExactly(Map.entry("keep-p0", 1));
      assertThat(h.cm.inspect().vetoes())
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.reviews()).isEqualTo(3);
                assertThat(v.vetoes()).isEqualTo(1);
              });
    }
  }

  @Test
  void vetoesRunInRegistrationOrderAndTheFirstVetoDecides() {
    try (Harness h = new Harness(1, 1)) {
      h.open("a");
      h.open("b");
      h.cm.tagPeer(PeerId.of("b"), "v", 1);
      List<String> asked = new ArrayList<>();
      h.cm.registerVeto(
          "first",
          (c, r) -> {
            asked.add("first:" + c.peer());
            return c.peer().value().equals("a") ? Verdict.veto("no") : Verdict.allow();
          });
      h.cm.registerVeto(
          "second",
          (c, r) -> {
            asked.add("second:" + c.peer());
            return Verdict.allow();
          });
      h.pastGrace();

      h.cm.trim();

      assertThat(asked).containsExactly("first:a", "first:b", "second:b");
      assertThat(h.closedPeers()).containsExactly("b");
    }
  }

  @Test
  void vetoesRunAfterLeasesAndSeeWhatTheRoundAlreadyPlanned() {
    try (Harness h = new Harness(1, 1)) {
      for (int i = 0; i < 4; i++) {
        h.open("p" + i);
        h.cm.tagPeer(PeerId.of("p" + i), "v", i);
      }
      h.open("leased").lease(java.time.Duration.ofMinutes(1), LeaseListener.releasing());
      List<List<String>> seen = new ArrayList<>();
      h.cm.registerVeto(
          "observer",
          (c, round) -> {
            seen.add(round.planned().stream().map(p -> p.peer().value()).toList());
            assertThat(round.trigger()).isEqualTo(Trigger.MANUAL);
            assertThat(round.target()).isEqualTo(4);
            return Verdict.allow();
          });
      h.pastGrace();

      h.cm.trim();

      assertThat(seen)
          .containsExactly(
              List.of(), List.of("p0"), List.of("p0", "p1"), List.of("p0", "p1", "p2"));
    }
  }

  /** An exception, or an error of the veto's own making (see {@link CallbackErrorsTest}). */
  @ParameterizedTest
  @ValueSource(strings = {"exception", "failed assertion", "stack overflow"})
  void aThrowingVetoCountsAsAllowAndIsCounted(String failure) {
    try (Harness h = new Harness(1, 1)) {
      h.open("a");
      h.open("b");
      h.cm.tagPeer(PeerId.of("b"), "v", 1);
      h.cm.registerVeto(
          "broken",
          (c, r) -> {
            if (failure.equals("failed assertion")) {
              throw new AssertionError("veto's own check failed");
            }
            if (failure.equals("stack overflow")) {
              throw new StackOverflowError();
            }
            throw new IllegalStateException("veto bug");
          });
      h.pastGrace();

      h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("a");
      assertThat(h.cm.inspect().vetoes().get(0).errors()).isEqualTo(1);
    }
  }

  @Test
  void theRoundNeverGoesPastItsTargetNorRetriesAVetoedCandidate() {
    try (Harness h = new Harness(3, 3)) {
      for (int i = 0; i < 6; i++) {
        h.open("p" + i);
      }
      List<String> reviewed = new ArrayList<>();
      h.cm.registerVeto(
          "everything",
          (c, r) -> {
            reviewed.add(c.peer().value());
            return Verdict.veto("keep all");
          });
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(report.evicted()).isEmpty();
      assertThat(report.reachedTarget()).isFalse();
      assertThat(reviewed).hasSize(6).doesNotHaveDuplicates();
      assertThat(report.skipped().get(SkipReason.VETOED)).isEqualTo(6);
      assertThat(report.summary()).contains("closed 0 of 3").contains("6 vetoed");
      assertThat(h.cm.connectionCount()).isEqualTo(6);
    }
  }

  @Test
  void listenersSeeVetoesAsEvents() {
    try (Harness h = new Harness(1, 1)) {
      h.open("a");
      h.open("b");
      h.cm.tagPeer(PeerId.of("b"), "v", 1);
      h.cm.registerVeto(
          "v",
          (c, r) ->
              c.peer().value().equals("a")
                  ? Verdict.veto("bucket would go empty")
                  : Verdict.allow());
      List<String> events = new ArrayList<>();
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onVeto(String veto, ConnectionView candidate, String reason) {
              events.add(veto + " " + candidate.peer() + " " + reason);
            }

            @Override
            public void onRound(TrimReport report) {
              events.add("round " + report.evicted().size());
            }

            @Override
            public void onEviction(EvictionRecord record) {
              events.add("evicted " + record.peer());
            }
          });
      h.pastGrace();

      h.cm.trim();

      eventually(
          () ->
              assertThat(events)
                  .containsExactly("v a bucket would go empty", "evicted b", "round 1"));
    }
  }

  @Test
  void vetoesReviewAConsistentWorldNothingOfTheRoundIsClosedYet() {
    try (Harness h = new Harness(1, 1)) {
      for (int i = 0; i < 5; i++) {
        h.open("p" + i);
        h.cm.tagPeer(PeerId.of("p" + i), "v", i);
      }
      // a protocol whose own state drops peers as they disconnect (a routing table) must not
      // see planned connections already gone: it would count them twice
      List<Integer> closedWhileReviewing = new ArrayList<>();
      h.cm.registerVeto(
          "observer",
          (c, round) -> {
            closedWhileReviewing.add(h.closed.size());
            return Verdict.allow();
          });
      h.pastGrace();

      h.cm.trim();

      assertThat(closedWhileReviewing).hasSize(4).containsOnly(0);
      assertThat(h.closed).hasSize(4);
    }
  }
}
