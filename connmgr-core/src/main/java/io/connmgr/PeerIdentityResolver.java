package io.connmgr;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Turns what a transport knows about a new connection's peer into the {@link PeerId} the manager
 * files it under. Every transport adapter shipped with connmgr asks one, so one resolver decides
 * identity for WebSocket, Netty and gRPC alike.
 *
 * <p>A resolver must give a verified id ({@link PeerId#of}) only for authenticated facts and an
 * unverified one ({@link PeerId#unverified}) for anything the client merely claims; otherwise a
 * client could take a pinned peer's name and with it its protection and its place in the caps.
 */
@FunctionalInterface
public interface PeerIdentityResolver {

  /**
   * Returns the peer id for this handshake.
   *
   * @throws IllegalArgumentException when no acceptable id can be had; the adapter refuses the
   *     connection with this message
   */
  PeerId resolve(Handshake handshake);

  /**
   * The resolver the adapters use unless told otherwise, taking the first of: the authenticated
   * principal's name; the subject of the TLS peer certificate; the claimed id, as unverified; the
   * remote host's address, as unverified (so every cap still applies to one host). A principal or
   * subject that is not a valid peer id falls through to the next source.
   */
  static PeerIdentityResolver standard() {
    return handshake -> {
      Objects.requireNonNull(handshake, "handshake must not be null");
      Principal principal = handshake.principal();
      if (principal != null && PeerId.isValid(principal.getName())) {
        return PeerId.of(principal.getName());
      }
      if (!handshake.peerCertificates().isEmpty()) {
        X509Certificate own = handshake.peerCertificates().get(0);
        String subject = own.getSubjectX500Principal().getName();
        if (PeerId.isValid(subject)) {
          return PeerId.of(subject);
        }
      }
      String claimed = handshake.claimedId();
      if (claimed != null && !claimed.isBlank()) {
        return PeerId.unverified(claimed);
      }
      if (handshake.remoteAddress() instanceof InetSocketAddress inet) {
        return PeerId.unverified(inet.getHostString());
      }
      throw new IllegalArgumentException(
          "no identity for a "
              + handshake.transport()
              + " connection: no principal, no peer"
              + " certificate, no claimed id and no remote address");
    };
  }
}
