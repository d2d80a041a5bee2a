package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerIdentityResolverTest {

  private final PeerIdentityResolver standard = PeerIdentityResolver.standard();

  @Test
  void anAuthenticatedPrincipalWinsOverWhatTheClientClaims() {
    Principal alice = () -> "alice";

    PeerId id = standard.resolve(handshake(alice, "stable-1"));

    assertThat(id).isEqualTo(PeerId.of("alice"));
    assertThat(id.isVerified()).isTrue();
  }

  @Test
  void aClaimWithoutAuthenticationIsUnverified() {
    PeerId id = standard.resolve(handshake(null, "stable-1"));

    assertThat(id).isEqualTo(PeerId.unverified("stable-1")).isNotEqualTo(PeerId.of("stable-1"));
  }

  @Test
  void withNoClaimTheRemoteHostIsTheUnverifiedId() {
    PeerId id =
        standard.resolve(
            new Handshake(
                "netty", null, List.of(), null, new InetSocketAddress("127.0.0.7", 4001)));

    assertThat(id).isEqualTo(PeerId.unverified("127.0.0.7"));
  }

  @Test
  void aPrincipalWhoseNameIsNoPeerIdFallsThroughToTheClaim() {
    Principal blank = () -> " ";

    assertThat(standard.resolve(handshake(blank, "bob"))).isEqualTo(PeerId.unverified("bob"));
  }

  @Test
  void nothingToGoByIsRefusedWithAReason() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> standard.resolve(new Handshake("grpc", null, List.of(), " ", null)))
        .withMessageContaining("grpc")
        .withMessageContaining("no principal");
  }

  @Test
  void aMissingHandshakeIsNamed() {
    assertThatNullPointerException()
        .isThrownBy(() -> standard.resolve(null))
        .withMessageContaining("handshake");
  }

  private static Handshake handshake(Principal principal, String claimed) {
    return new Handshake(
        "websocket", principal, List.of(), claimed, new InetSocketAddress("127.0.0.1", 5000));
  }
}
