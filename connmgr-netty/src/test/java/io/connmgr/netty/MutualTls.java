package io.connmgr.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

/**
 * A test certificate authority with a server ({@code CN=localhost}) that requires client
 * certificates and a client, the node {@code CN=node-9}, that presents one: the two TLS contexts of
 * a mutual-TLS connection.
 */
record MutualTls(SslContext server, SslContext client) {

  static MutualTls make() throws Exception {
    X509Bundle ca =
        new CertificateBuilder()
            .subject("CN=test-ca")
            .setIsCertificateAuthority(true)
            .ecp256()
            .buildSelfSigned();
    X509Bundle server =
        new CertificateBuilder()
            .subject("CN=localhost")
            .ecp256()
            .addSanDnsName("localhost")
            .buildIssuedBy(ca);
    X509Bundle node = new CertificateBuilder().subject("CN=node-9").ecp256().buildIssuedBy(ca);
    return new MutualTls(
        SslContextBuilder.forServer(server.toKeyManagerFactory())
            .trustManager(ca.toTrustManagerFactory())
            .clientAuth(ClientAuth.REQUIRE)
            .build(),
        SslContextBuilder.forClient()
            .keyManager(node.toKeyManagerFactory())
            .trustManager(ca.toTrustManagerFactory())
            .build());
  }
}
