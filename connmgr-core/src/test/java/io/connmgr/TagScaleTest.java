package io.connmgr;

import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tags on one peer cost O(1) per operation: a million of them take seconds, not the hours a scan
 * per call would, and the tag value stays the exact sum, saturated to the int range.
 */
class TagScaleTest {

  private static final int TAGS = 1_000_000;
  /** Generous for a loaded machine: the work is about a second; O(tags) per call is hours. */
  private static final Duration NO_SCAN = Duration.ofSeconds(90);

  private final ConnectionManager cm = Managers.manager(new ManualClock(), 1, 10);
  private final PeerId p = peer("p");

  @AfterEach
  void closeManager() {
    cm.close();
  }

  private int value() {
    return cm.tagInfo(p).orElseThrow().value();
  }

  @Test
  void aMillionTagsOnOnePeerAreSetChangedAndRemovedInSeconds() {
    new RecordingCloser().open(cm, "p");
    assertTimeoutPreemptively(NO_SCAN, () -> {
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
      assertThat(cm.tagInfo(p).orElseThrow().tags()).hasSize(TAGS / 2)
          .containsEntry("t1", 3).doesNotContainKey("t0");
    });
  }

  @Test
  void aHundredThousandDecayingTagsOnOnePeerAreBumpedAndRemovedInSeconds() {
    new RecordingCloser().open(cm, "p");
    DecayingTag[] tags = new DecayingTag[TAGS / 10];
    assertTimeoutPreemptively(NO_SCAN, () -> {
      for (int i = 0; i < tags.length; i++) {
        tags[i] = cm.registerDecayingTag("d" + i, Duration.ofMinutes(1), DecayFunctions.none(),
            BumpFunctions.sum());
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
}
