package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/**
 * An unverified id never gets what a verified one may: no pin, no place on the allow list, no way
 * past the caps, whatever name it claims.
 */
class UnverifiedPeerTest {

  private static final PeerId CLAIMED = PeerId.unverified("stable-1");

  @Test
  void theBuilderRefusesToAllowAnUnverifiedId() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().allow(CLAIMED).build())
        .withMessageContaining("allow = unverified:stable-1: is an unverified id");
  }

  @Test
  void anUnverifiedIdCannotBePinned() {
    try (Harness h = new Harness(ConnectionManager.builder().lowWater(5).highWater(10))) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> h.cm.pin(CLAIMED))
          .withMessageContaining("cannot be pinned");
      assertThat(h.cm.protections()).isEmpty();
    }
  }

  @Test
  void claimingAPinnedPeersNameGivesNoneOfItsPrivileges() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(5)
                .highWater(10)
                .maxConnections(12)
                .maxConnectionsPerPeer(2)
                .allow(PeerId.of("stable-1")))) {
      h.cm.pin(PeerId.of("stable-1"));
      int admitted = 0;
      int refused = 0;
      for (int i = 0; i < 60; i++) {
        if (catchThrowableOfType(ConnectionRefusedException.class, () -> h.open(CLAIMED.value()))
            == null) {
          admitted++;
        } else {
          refused++;
        }
      }
      assertThat(admitted).isEqualTo(2);
      assertThat(refused).isEqualTo(58);
      assertThat(h.cm.isProtected(CLAIMED, null)).isFalse();
      assertThat(h.cm.stats().refusals()).containsEntry(AdmissionLimit.MAX_PER_PEER, 58L);
      for (int i = 0; i < 3; i++) {
        h.open("stable-1"); // the real one still bypasses the caps
      }
      assertThat(h.cm.connectionCount()).isEqualTo(5);
    }
  }

  @Test
  void anApplicationsProtectionOfAnUnverifiedIdStillLeavesItUnderTheCaps() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder().lowWater(5).highWater(10).maxConnectionsPerPeer(1))) {
      h.cm.protect(CLAIMED, ConnectionManager.PIN_TAG);
      h.open(CLAIMED.value());
      assertThat(
              catchThrowableOfType(ConnectionRefusedException.class, () -> h.open(CLAIMED.value()))
                  .limit())
          .isEqualTo(AdmissionLimit.MAX_PER_PEER);
    }
  }
}
