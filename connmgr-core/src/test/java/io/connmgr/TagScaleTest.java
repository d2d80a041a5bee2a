package io.connmgr;

import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.connmgr.inspect.TagInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tags on one peer cost O(1) per operation: a million of them take seconds, not the hours a scan
 * per call would, and the tag value stays the exact sum, saturated to the int range.
 */
class TagScaleTest {

  private static final int TAGS = 1_000_000;

  /**
   * A guard against hours, not a performance target: the work takes about two seconds on a quiet
   * machine and stays far below this on a loaded one, while a scan per call takes hours.
   */
  private static final Duration NO_SCAN = Duration.ofMinutes(5);

  private final ConnectionManager cm = Managers.manager(new ManualClock(), 1, 10);
  private final PeerId p = peer("p");

  @AfterEach
  void closeManager() {
    cm.close();
  }

  private int value() {
    return cm.inspect().tagInfo(p).orElseThrow().value();
  }

  @Test
  void aMillionTagsOnOnePeerAreSetChangedAndRemovedInSeconds() {
    new RecordingCloser().open(cm, "p");
    assertTimeoutPreemptively(
        NO_SCAN,
        () -> {
          for (int i = 0; i < TAGS; i++) {
            cm.tagPeer(p, "t" + i, 1);
          }
          assertThat(value()).isEqualTo(TAGS);
          for (int i = 0; i < TAGS; i++) {
            cm.upsertTag(p, "t" + i, v -> v + 2);
          }
          assertThat(value()).isEqualTo(3 * TAGS);
          for (int i = 0; i < TAGS; i += 2) {
            cm.untagPeer(p, "t" + i);
          }
          assertThat(value()).isEqualTo(3 * TAGS / 2);
          assertThat(cm.inspect().tagInfo(p).orElseThrow().tags())
              .hasSize(TAGS / 2)
              .containsEntry("t1", 3)
              .doesNotContainKey("t0");
        });
  }

  @Test
  void aHundredThousandDecayingTagsOnOnePeerAreBumpedAndRemovedInSeconds() {
    new RecordingCloser().open(cm, "p");
    DecayingTag[] tags = new DecayingTag[TAGS / 10];
    assertTimeoutPreemptively(
        NO_SCAN,
        () -> {
          for (int i = 0; i < tags.length; i++) {
            tags[i] =
                cm.registerDecayingTag(
                    "d" + i, Duration.ofMinutes(1), DecayFunctions.none(), BumpFunctions.sum());
            tags[i].bump(p, 2);
          }
          assertThat(value()).isEqualTo(2 * tags.length);
          for (DecayingTag tag : tags) {
            tag.remove(p);
          }
          assertThat(value()).isZero();
        });
  }

  @Test
  void theSumSaturatesAndComesBackExactlyWhenTagsGo() {
    cm.tagPeer(p, "a", Integer.MAX_VALUE);
    cm.tagPeer(p, "b", Integer.MAX_VALUE);
    cm.tagPeer(p, "c", 5);
    assertThat(value()).isEqualTo(Integer.MAX_VALUE);

    cm.untagPeer(p, "b");
    assertThat(value()).as("still above the range: saturated").isEqualTo(Integer.MAX_VALUE);
    cm.tagPeer(p, "c", -5);
    assertThat(value()).as("exact again").isEqualTo(Integer.MAX_VALUE - 5);

    cm.tagPeer(p, "a", Integer.MIN_VALUE);
    cm.tagPeer(p, "b", Integer.MIN_VALUE);
    assertThat(value()).isEqualTo(Integer.MIN_VALUE);
    cm.untagPeer(p, "a");
    cm.untagPeer(p, "b");
    assertThat(value()).isEqualTo(-5);
  }

  /**
   * Random plain and decaying tag operations on one peer, across the size where tags get an index
   * and through the compaction of removed slots, agree with a plain map: same tags, same order of
   * plain tags, and the tag value is their sum saturated.
   */
  @Property(tries = 200)
  void tagOperationsAgreeWithAPlainMap(@ForAll("operations") List<int[]> operations) {
    try (ConnectionManager manager = Managers.manager(new ManualClock(), 1, 10)) {
      new RecordingCloser().open(manager, "p");
      DecayingTag[] decaying = new DecayingTag[12];
      for (int i = 0; i < decaying.length; i++) {
        decaying[i] =
            manager.registerDecayingTag(
                "d" + i, Duration.ofMinutes(1), DecayFunctions.none(), BumpFunctions.sum());
      }
      Map<String, Integer> plain = new LinkedHashMap<>();
      Map<String, Integer> bumped = new HashMap<>();
      for (int[] op : operations) {
        String name = "t" + op[1];
        int weight = op[2];
        switch (op[0]) {
          case 0 -> {
            manager.tagPeer(p, name, weight);
            plain.put(name, weight);
          }
          case 1 -> {
            manager.untagPeer(p, name);
            plain.remove(name);
          }
          case 2 -> {
            manager.upsertTag(p, name, v -> v / 2 + weight);
            plain.put(name, plain.getOrDefault(name, 0) / 2 + weight);
          }
          case 3 -> {
            decaying[op[1] % decaying.length].bump(p, weight);
            bumped.merge(
                "d" + op[1] % decaying.length,
                weight,
                (a, b) ->
                    (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (long) a + b)));
          }
          default -> {
            decaying[op[1] % decaying.length].remove(p);
            bumped.remove("d" + op[1] % decaying.length);
          }
        }
      }
      TagInfo info = manager.inspect().tagInfo(p).orElseThrow();
      Map<String, Integer> expected = new LinkedHashMap<>(plain);
      expected.putAll(bumped);
      long sum = expected.values().stream().mapToLong(Integer::longValue).sum();
      assertThat(info.tags()).isEqualTo(expected);
      assertThat(info.value())
          .isEqualTo((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum)));
      assertThat(plainOrder(manager)).containsExactlyElementsOf(plain.keySet());
    }
  }

  /** The plain tags in the order the peer lists them. */
  private List<String> plainOrder(ConnectionManager manager) {
    return manager.evict(manager.inspect().snapshot().connections().get(0).id(), "read the order")
        ? manager.inspect().evictionHistory().get(0).breakdown().keySet().stream()
            .map(k -> k.substring("tag:".length()))
            .filter(k -> k.startsWith("t"))
            .toList()
        : List.of();
  }

  @Provide
  Arbitrary<List<int[]>> operations() {
    Arbitrary<int[]> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 19),
                Arbitraries.oneOf(
                    Arbitraries.integers().between(-50, 50),
                    Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE)))
            .as((kind, name, weight) -> new int[] {kind, name, weight});
    return op.list().ofMinSize(1).ofMaxSize(200);
  }
}
