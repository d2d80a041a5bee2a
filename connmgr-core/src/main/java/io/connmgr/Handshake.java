package io.connmgr;

import java.net.SocketAddress;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a transport adapter knows about the party at the other end when a connection opens: the
 * facts a {@link PeerIdentityResolver} turns into a {@link PeerId}.
 *
 * <p>{@code principal} and {@code peerCertificates} are authenticated facts (the HTTP security
 * layer or the TLS handshake checked them); {@code claimedId} and {@code remoteAddress} are not.
 *
 * @param transport a short name of the transport, for logs ({@code "websocket"}, {@code "netty"},
 *     {@code "grpc"})
 * @param principal the authenticated principal of the handshake; null when nobody authenticated
 * @param peerCertificates the TLS peer's verified certificate chain, the peer's own first; empty
 *     without TLS client authentication
 * @param claimedId the id the client claims (a query parameter, a header); null when it claims none
 * @param remoteAddress the remote socket address; null when the transport does not know it
 */
public record Handshake(
    String transport,
    @Nullable Principal principal,
    List<X509Certificate> peerCertificates,
    @Nullable String claimedId,
    @Nullable SocketAddress remoteAddress) {

  /** Checks the arguments and copies the certificate list. */
  public Handshake {
    Objects.requireNonNull(transport, "transport must not be null");
    peerCertificates = List.copyOf(Objects.requireNonNull(peerCertificates, "peerCertificates"));
  }
}
