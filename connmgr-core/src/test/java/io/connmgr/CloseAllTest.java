package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CloseAllTest {

  @Test
  void closeAllClosesProtectedLeasedAndYoungConnectionsWithAShutdownRecord() {
    try (Harness h = new Harness(2, 4)) {
      h.cm.pin(PeerId.of("pinned"));
      h.open("pinned");
      h.open("leased").lease(Duration.ofSeconds(30), LeaseListener.releasing());
      h.open("young");

      int closed = h.cm.closeAll("node shutting down");

      assertThat(closed).isEqualTo(3);
      assertThat(h.cm.connectionCount()).isZero();
      assertThat(h.closedPeers()).containsExactlyInAnyOrder("pinned", "leased", "young");
      assertThat(h.closed)
          .allSatisfy(
              r -> {
                assertThat(r.trigger()).isEqualTo(Trigger.SHUTDOWN);
                assertThat(r.reason()).isEqualTo("node shutting down");
              });
      assertThat(h.cm.inspect().evictionHistory()).hasSize(3);
    }
  }

  @Test
  void closeAllKeepsAConnectionWhoseCloserFails() {
    try (Harness h = new Harness(2, 4)) {
      h.open("fine");
      h.cm.connectionOpened(
          PeerId.of("stuck"),
          Direction.OUTBOUND,
          "127.0.0.1:4002",
          why -> {
            throw new java.io.IOException("socket stuck");
          });

      assertThat(h.cm.closeAll("shutdown")).isEqualTo(1);
      assertThat(h.cm.connectionCount()).isEqualTo(1);
    }
  }
}
