package io.connmgr.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A grpc-netty server with mutual TLS under {@link GrpcConnections}: the peer is the client
 * certificate's subject, a verified id, as the standard resolver makes it.
 */
class GrpcTlsIdentityTests {

  @Test
  void aClientCertificateNamesAVerifiedPeer() throws Exception {
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

    try (ConnectionManager manager =
            ConnectionManager.builder().lowWater(10).highWater(20).build();
        GrpcConnections grpc = new GrpcConnections(manager, PeerIdentityResolver.standard())) {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .sslContext(
                  GrpcSslContexts.configure(
                          SslContextBuilder.forServer(server.toKeyManagerFactory()))
                      .trustManager(ca.toTrustManagerFactory())
                      .clientAuth(ClientAuth.REQUIRE)
                      .build())
              .addService(TestMethods.pingService());
      grpc.customize(builder);
      Server grpcServer = builder.build().start();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort())
              .overrideAuthority("localhost")
              .sslContext(
                  GrpcSslContexts.forClient()
                      .keyManager(node.toKeyManagerFactory())
                      .trustManager(ca.toTrustManagerFactory())
                      .build())
              .build();
      try {
        assertThat(
                ClientCalls.blockingUnaryCall(
                    channel, TestMethods.PING, CallOptions.DEFAULT, new byte[] {7}))
            .containsExactly(7);
        await().until(() -> manager.connectionCount() == 1);
        PeerId peer = manager.inspect().snapshot().connections().get(0).peer();
        assertThat(peer).isEqualTo(PeerId.of("CN=node-9"));
        assertThat(peer.isVerified()).isTrue();
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        grpcServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }
}
