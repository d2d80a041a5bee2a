package io.connmgr.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.ConnectionManager;
import io.connmgr.Handshake;
import io.connmgr.PeerId;
import io.connmgr.PeerIdentityResolver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS handlers that become an {@code SslHandler} only once the client speaks ({@link SniHandler},
 * {@link OptionalSslHandler}): the channel is admitted after the TLS handshake, with the client's
 * certificate, or as plaintext when the client does not speak TLS.
 */
class TlsHandlerAdmissionTest {

  private static SslContext serverTls;
  private static SslContext clientTls;

  private final ConnectionManager manager =
      ConnectionManager.builder().lowWater(100).highWater(200).build();
  private final List<Handshake> seen = new CopyOnWriteArrayList<>();
  private final ConnectionManagerHandler handler =
      ConnectionManagerHandler.builder(manager)
          .resolver(
              handshake -> {
                seen.add(handshake);
                return resolve(handshake);
              })
          .build();
  private final Recorder application = new Recorder();

  @BeforeAll
  static void certificates() throws Exception {
    MutualTls tls = MutualTls.make();
    serverTls = tls.server();
    clientTls = tls.client();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void behindAnSniHandlerAChannelIsAdmittedAfterTheHandshakeWithItsCertificate() {
    EmbeddedChannel server = new EmbeddedChannel(new SniHandler(host -> serverTls), handler);
    server.pipeline().addLast(application);
    assertThat(manager.connectionCount()).isZero();
    assertThat(NettyConnections.of(server)).isEmpty();

    EmbeddedChannel client = new EmbeddedChannel();
    client.pipeline().addLast(clientTls.newHandler(client.alloc(), "localhost", 0));
    shuttle(client, server);

    assertThat(application.events).anyMatch(SslHandshakeCompletionEvent.SUCCESS::equals);
    assertThat(manager.connectionCount()).isEqualTo(1);
    assertThat(seen)
        .singleElement()
        .satisfies(
            h ->
                assertThat(h.peerCertificates())
                    .extracting(c -> c.getSubjectX500Principal().getName())
                    .containsExactly("CN=node-9"));
    assertThat(NettyConnections.of(server)).isPresent();
    assertThat(onlyPeer()).isEqualTo(PeerId.of("CN=node-9"));
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  @Test
  void behindAnOptionalSslHandlerAPlaintextChannelIsAdmittedWhenItFirstSpeaks() {
    EmbeddedChannel server =
        new EmbeddedChannel(new OptionalSslHandler(serverTls), handler, application);
    assertThat(manager.connectionCount()).isZero();

    server.writeInbound(Unpooled.copiedBuffer("hello, plainly", StandardCharsets.UTF_8));

    assertThat(manager.connectionCount()).isEqualTo(1);
    assertThat(seen).singleElement().satisfies(h -> assertThat(h.peerCertificates()).isEmpty());
    ByteBuf received = server.readInbound();
    assertThat(received.toString(StandardCharsets.UTF_8)).isEqualTo("hello, plainly");
    received.release();
    server.finishAndReleaseAll();
    assertThat(manager.connectionCount()).isZero();
  }

  @Test
  void behindAnOptionalSslHandlerATlsChannelIsAdmittedAfterTheHandshake() {
    EmbeddedChannel server =
        new EmbeddedChannel(new OptionalSslHandler(serverTls), handler, application);
    EmbeddedChannel client = new EmbeddedChannel();
    client.pipeline().addLast(clientTls.newHandler(client.alloc(), "localhost", 0));

    shuttle(client, server);

    assertThat(manager.connectionCount()).isEqualTo(1);
    assertThat(NettyConnections.of(server)).isPresent();
    assertThat(onlyPeer()).isEqualTo(PeerId.of("CN=node-9"));
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  private PeerId onlyPeer() {
    return manager.inspect().snapshot().connections().get(0).peer();
  }

  /** Carries the bytes each side writes to the other until neither has more to say. */
  private static void shuttle(EmbeddedChannel client, EmbeddedChannel server) {
    boolean moved = true;
    while (moved) {
      moved = carry(client, server) | carry(server, client);
    }
  }

  private static boolean carry(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (ByteBuf bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
      to.writeInbound(bytes);
      moved = true;
    }
    return moved;
  }

  /** The standard resolver, or an unverified id for an embedded channel's non-IP address. */
  private static PeerId resolve(Handshake handshake) {
    return handshake.peerCertificates().isEmpty()
        ? PeerId.unverified("embedded")
        : PeerIdentityResolver.standard().resolve(handshake);
  }
}
