package io.connmgr.netty;

import io.connmgr.Handshake;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/** What a channel tells about its peer, as a {@link Handshake}. */
final class ChannelHandshakes {

  private ChannelHandshakes() {}

  static Handshake of(Channel channel, String transport) {
    return new Handshake(
        transport,
        channel.attr(NettyConnections.PRINCIPAL).get(),
        peerCertificates(channel),
        channel.attr(NettyConnections.CLAIMED_ID).get(),
        channel.remoteAddress());
  }

  /** The verified chain of the TLS peer; empty without TLS or without client authentication. */
  static List<X509Certificate> peerCertificates(Channel channel) {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
        if (c instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
