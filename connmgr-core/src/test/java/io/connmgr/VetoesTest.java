package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.connmgr.inspect.ConnectionSnapshot;
import io.connmgr.inspect.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The ready-made floor vetoes, through real rounds of a real manager. */
class VetoesTest {

  /** One connection of a generated state: its group (null for none) and its tag value. */
  record Conn(Integer group, int weight) {}

  @Provide
  Arbitrary<List<Conn>> states() {
    Arbitrary<Integer> group = Arbitraries.integers().between(0, 4).injectNull(0.25);
    Arbitrary<Integer> weight = Arbitraries.integers().between(0, 10);
    return Combinators.combine(group, weight).as(Conn::new).list().ofMinSize(1).ofMaxSize(40);
  }

  /**
   * Whatever the state, a round never takes a group below {@code n} (or below what it had), each
   * verdict is exactly "would closing this leave fewer than n of its group, counting what the round
   * already planned", and the round stops short of its target only when every connection left is
   * held by the floor.
   */
  @Property(tries = 300)
  void aRoundNeverTakesAGroupBelowTheFloorAndEachVerdictCountsWhatIsPlanned(
      @ForAll("states") List<Conn> state,
      @ForAll @IntRange(min = 1, max = 3) int n,
      @ForAll @IntRange(min = 1, max = 40) int lowWater) {
    int low = Math.min(lowWater, state.size());
    Map<PeerId, Integer> groups = new HashMap<>();
    List<String> wrongVerdicts = new ArrayList<>();
    try (Harness h = new Harness(low, low)) {
      for (int i = 0; i < state.size(); i++) {
        PeerId peer = PeerId.of("p" + i);
        h.open(peer.value());
        h.cm.tagPeer(peer, "w", state.get(i).weight());
        if (state.get(i).group() != null) {
          groups.put(peer, state.get(i).group());
        }
      }
      CloseVeto floor = Vetoes.keepAtLeastPerGroup(n, c -> groups.get(c.peer()));
      h.cm.registerVeto(
          "floor",
          (candidate, round) -> {
            Verdict verdict = floor.review(candidate, round);
            Integer g = groups.get(candidate.peer());
            boolean expectVeto =
                g != null
                    && count(round.openConnections(), groups, g)
                            - count(round.planned(), groups, g)
                            - 1
                        < n;
            if (verdict.isVeto() != expectVeto) {
              wrongVerdicts.add(candidate.peer() + " in " + g + ": " + verdict);
            }
            return verdict;
          });
      Map<Integer, Long> before = countByGroup(h.cm.inspect().snapshot(), groups);
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(wrongVerdicts).isEmpty();
      Map<Integer, Long> after = countByGroup(h.cm.inspect().snapshot(), groups);
      before.forEach(
          (g, had) ->
              assertThat(after.getOrDefault(g, 0L))
                  .as("group %s", g)
                  .isGreaterThanOrEqualTo(Math.min(n, had)));
      if (report.evicted().size() < report.target()) {
        for (ConnectionSnapshot c : h.cm.inspect().snapshot().connections()) {
          Integer g = groups.get(c.peer());
          assertThat(g).as("an ungrouped connection left open short of the target").isNotNull();
          assertThat(after.get(g))
              .as("group %s left open short of the target", g)
              .isLessThanOrEqualTo(n);
        }
      }
    }
  }

  private static long count(
      List<? extends ConnectionView> connections, Map<PeerId, Integer> groups, Integer group) {
    return connections.stream().filter(c -> group.equals(groups.get(c.peer()))).count();
  }

  private static Map<Integer, Long> countByGroup(Snapshot snapshot, Map<PeerId, Integer> groups) {
    Map<Integer, Long> counts = new HashMap<>();
    for (ConnectionSnapshot c : snapshot.connections()) {
      Integer g = groups.get(c.peer());
      if (g != null) {
        counts.merge(g, 1L, Long::sum);
      }
    }
    return counts;
  }

  @Test
  void keepAtLeastTwoRelaysWhenRelaysAreTheLeastValued() {
    try (Harness h = new Harness(3, 3)) {
      for (int i = 0; i < 5; i++) {
        h.open("relay-" + i);
        h.open("other-" + i);
        h.cm.tagPeer(PeerId.of("other-" + i), "useful", 10);
      }
      h.cm.registerVeto(
          "relays", Vetoes.keepAtLeast(2, c -> c.peer().value().startsWith("relay-")));
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(h.cm.inspect().snapshot().connections())
          .extracting(c -> c.peer().value())
          .filteredOn(p -> p.startsWith("relay-"))
          .hasSize(2);
      assertThat(report.evicted()).hasSize(7);
      assertThat(report.vetoes()).containsEntry("relays", 2);
    }
  }

  @Test
  void theVetoReasonNamesTheFloorAndTheGroup() {
    try (Harness h = new Harness(1, 1)) {
      h.open("a");
      h.open("b");
      List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onVeto(String veto, ConnectionView candidate, String reason) {
              reasons.add(reason);
            }
          });
      h.cm.registerVeto("buckets", Vetoes.keepAtLeastPerGroup(2, c -> "bucket-7"));
      h.pastGrace();

      h.cm.trim();

      Eventually.eventually(
          () ->
              assertThat(reasons)
                  .first()
                  .isEqualTo("keeps at least 2 of group bucket-7 open (2 left)"));
    }
  }

  @Test
  void eachRoundCountsAfreshSoAGroupThatGrewMayLoseItsExtraConnections() {
    try (Harness h = new Harness(2, 2)) {
      h.open("a");
      h.open("b");
      h.open("c");
      h.cm.registerVeto("floor", Vetoes.keepAtLeast(2, c -> true));
      h.pastGrace();
      h.cm.trim();
      assertThat(h.cm.connectionCount()).isEqualTo(2);
      h.open("d");
      h.open("e");
      h.pastGrace();

      h.cm.trim();

      assertThat(h.cm.connectionCount()).isEqualTo(2);
    }
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Vetoes.keepAtLeast(0, c -> true))
        .withMessageContaining("n must be positive, was 0");
    assertThatIllegalArgumentException().isThrownBy(() -> Vetoes.keepAtLeastPerGroup(-1, c -> 1));
    assertThatNullPointerException()
        .isThrownBy(() -> Vetoes.keepAtLeast(1, null))
        .withMessage("group");
    assertThatNullPointerException()
        .isThrownBy(() -> Vetoes.keepAtLeastPerGroup(1, null))
        .withMessage("groupOf");
  }
}
