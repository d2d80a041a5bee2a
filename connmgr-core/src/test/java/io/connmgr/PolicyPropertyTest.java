package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.Assessment;
import io.connmgr.inspect.ConnectionScore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * One policy: over random states, {@code assess()} is exactly the round that follows at the same
 * instant with the same answers. The round closes the first candidates of the assessment in its
 * order, passing over those a veto or an elapsed lease's listener keeps, and its held-back counts
 * are the assessment's; and every round's closes plus its explained shortfall are its target.
 */
class PolicyPropertyTest {

  /** What one connection is like. */
  record Shape(
      boolean protectedPeer, boolean young, int lease, int tag, int answer, boolean vetoed) {}

  @Provide
  Arbitrary<List<Shape>> states() {
    Arbitrary<Shape> shape =
        Combinators.combine(
                Arbitraries.integers().between(0, 9).map(n -> n == 0),
                Arbitraries.integers().between(0, 9).map(n -> n == 0),
                // 0 none, 1 active, 2 elapsed and released when asked, 3 elapsed and extended
                Arbitraries.integers().between(0, 11).map(n -> n < 8 ? 0 : n - 8),
                Arbitraries.integers().between(-20, 20),
                // -1: KEEP, -2: the scorer throws, else the answer
                Arbitraries.integers().between(-3, 60).map(n -> n == -3 ? -1 : n),
                Arbitraries.integers().between(0, 7).map(n -> n == 0))
            .as(Shape::new);
    return shape.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 300)
  void assessIsTheNextRoundAndEveryShortfallIsExplained(
      @ForAll("states") List<Shape> shapes, @ForAll @IntRange(min = 1, max = 30) int lowWater) {
    ManualClock clock = new ManualClock();
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .lowWater(lowWater)
            .highWater(lowWater)
            .gracePeriod(Duration.ofSeconds(20))
            .scorerBudget(Duration.ofSeconds(30))
            .callbackBudget(Duration.ofSeconds(30))
            .build()) {
      Map<Long, Shape> byId = new HashMap<>();
      Set<Long> vetoed = new HashSet<>();
      Set<Long> extending = new HashSet<>();
      List<ManagedConnection> opened = new ArrayList<>();
      for (int i = 0; i < shapes.size(); i++) {
        Shape s = shapes.get(i);
        if (!s.young()) {
          // distinct ages: no two connections tie, so there is one order
          clock.advance(Duration.ofMillis(1));
          opened.add(open(cm, s, i));
        }
      }
      clock.advance(Duration.ofSeconds(25));
      for (int i = 0; i < shapes.size(); i++) {
        if (shapes.get(i).young()) {
          clock.advance(Duration.ofMillis(1));
          opened.add(open(cm, shapes.get(i), i));
        }
      }
      for (ManagedConnection c : opened) {
        Shape s = shapes.get(Integer.parseInt(c.peer().value().substring(1)));
        byId.put(c.id(), s);
        if (s.vetoed()) {
          vetoed.add(c.id());
        }
        if (s.lease() == 3) {
          extending.add(c.id());
        }
      }
      cm.registerConnectionScorer(
          "answers",
          c -> {
            int answer = byId.get(c.id()).answer();
            if (answer == -2) {
              throw new IllegalStateException("no answer");
            }
            return answer == -1 ? Score.KEEP : answer;
          });
      cm.registerVeto(
          "some",
          (c, round) -> vetoed.contains(c.id()) ? Verdict.veto("property") : Verdict.allow());

      Assessment assessment = cm.inspect().assess();
      TrimReport report = cm.trim();

      // closed + explained shortfall = wanted
      int shortfall = report.shortfall().values().stream().mapToInt(Integer::intValue).sum();
      assertThat(report.evicted().size() + shortfall)
          .as(report.summary())
          .isEqualTo(report.target());

      // the round walked the assessment's candidates in order
      List<Long> expected = new ArrayList<>();
      int passedOver = 0;
      int vetoesSeen = 0;
      int extendedSeen = 0;
      for (ConnectionScore s : assessment.connections()) {
        if (expected.size() == report.target() || !s.candidate()) {
          break;
        }
        if (extending.contains(s.connectionId())) {
          extendedSeen++;
        } else if (vetoed.contains(s.connectionId())) {
          vetoesSeen++;
        } else {
          expected.add(s.connectionId());
        }
        passedOver++;
      }
      assertThat(report.evicted())
          .extracting(EvictionRecord::connectionId)
          .as("%s after %s walked", report.summary(), passedOver)
          .containsExactlyElementsOf(expected);

      // and held back what the assessment held back
      Map<SkipReason, Integer> heldBack = new EnumMap<>(SkipReason.class);
      for (ConnectionScore s : assessment.connections()) {
        if (s.heldBack() != null) {
          heldBack.merge(s.heldBack(), 1, Integer::sum);
        }
      }
      if (report.target() > 0) {
        for (SkipReason reason :
            List.of(SkipReason.PROTECTED, SkipReason.GRACE, SkipReason.KEPT_BY_SCORER)) {
          assertThat(report.skipped().get(reason))
              .as(reason + " in " + report.summary())
              .isEqualTo(heldBack.getOrDefault(reason, 0));
        }
        assertThat(report.skipped().get(SkipReason.LEASED))
            .as(report.summary())
            .isEqualTo(heldBack.getOrDefault(SkipReason.LEASED, 0) + extendedSeen);
        assertThat(report.skipped().get(SkipReason.VETOED)).isEqualTo(vetoesSeen);
      }
    }
  }

  private static ManagedConnection open(ConnectionManager cm, Shape s, int i) {
    PeerId peer = PeerId.of("p" + i);
    ManagedConnection c = cm.connectionOpened(peer, Direction.INBOUND, "x", why -> {});
    cm.tagPeer(peer, "t", s.tag());
    if (s.protectedPeer()) {
      cm.protect(peer, "p");
    }
    switch (s.lease()) {
      case 1 -> c.lease(Duration.ofMinutes(2), LeaseListener.releasing());
      case 2 -> c.lease(Duration.ofMillis(1), LeaseListener.releasing());
      case 3 -> c.lease(Duration.ofMillis(1), l -> LeaseDecision.extend(Duration.ofSeconds(5)));
      default -> {}
    }
    return c;
  }
}
