package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.Direction;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class CandidatePolicyTest {

  /**
   * A gathering is sized for the open count it is told; a count that is behind (connections opened
   * during the walk) grows it, a count that is ahead wastes nothing but room: every open connection
   * is gathered once either way.
   */
  @Test
  void gathersEveryOpenConnectionOnceWhateverTheCountItIsSizedFor() {
    try (SlotFixture f = new SlotFixture()) {
      for (int i = 0; i < 300; i++) {
        f.open(SlotFixture.peer(i % 200), i % 2 == 0 ? Direction.INBOUND : Direction.OUTBOUND);
      }
      for (IntSupplier count : new IntSupplier[] {() -> 0, () -> 1, () -> 299, () -> 10_000}) {
        CandidatePolicy policy = new CandidatePolicy(f.slots, f.protections, 0, count);
        CandidatePolicy.Field field = policy.gather(f.clock.nanos(), true, true);
        Map<ConnectionEntry, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < field.size(); i++) {
          assertThat(seen.put(field.connection(i), i))
              .as("gathered twice: %s", field.connection(i))
              .isNull();
        }
        assertThat(seen).as("sized for %d", count.getAsInt()).hasSize(300);
      }
    }
  }
}
