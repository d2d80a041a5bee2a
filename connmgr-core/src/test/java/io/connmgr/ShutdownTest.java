package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShutdownTest {

  @Test
  void afterCloseChangesFailClearlyAndWindingDownStillWorks() {
    Harness h = new Harness(5, 10);
    ManagedConnection c = h.open("a");
    ManagedStream s = c.openStream("x", Direction.INBOUND);
    h.cm.tagPeer(PeerId.of("a"), "t", 1);
    h.cm.close();
    h.cm.close();

    assertThat(h.cm.isClosed()).isTrue();
    assertThatIllegalStateException().isThrownBy(() -> h.open("b")).withMessageContaining("closed");
    assertThatIllegalStateException().isThrownBy(h.cm::trim);
    assertThatIllegalStateException().isThrownBy(h.cm::maintain);
    assertThatIllegalStateException().isThrownBy(() -> h.cm.tagPeer(PeerId.of("a"), "t", 2));
    assertThatIllegalStateException()
        .isThrownBy(() -> c.lease(Duration.ofSeconds(1), LeaseListener.releasing()));

    s.close();
    h.cm.untagPeer(PeerId.of("a"), "t");
    c.closed();
    assertThat(h.cm.connectionCount()).isZero();
    assertThat(h.closed).isEmpty();
  }

  @Test
  void closeOnShutdownClosesEveryConnectionWithTriggerShutdown() {
    Harness h =
        new Harness(ConnectionManager.builder().lowWater(5).highWater(10).closeOnShutdown(true));
    h.open("a");
    h.open("pinned");
    h.cm.pin(PeerId.of("pinned"));
    h.open("leased").lease(Duration.ofSeconds(30), LeaseListener.releasing());

    h.cm.close();

    assertThat(h.closedPeers()).containsExactlyInAnyOrder("a", "pinned", "leased");
    assertThat(h.closed).allSatisfy(r -> assertThat(r.trigger()).isEqualTo(Trigger.SHUTDOWN));
    assertThat(h.cm.connectionCount()).isZero();
    assertThat(h.cm.inspect().evictionHistory()).hasSize(3);
  }
}
