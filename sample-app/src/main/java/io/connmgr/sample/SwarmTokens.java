package io.connmgr.sample;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The swarm peers' credentials: each peer authenticates its WebSocket handshake with HTTP Basic,
 * its peer id as the user name and a per-peer token as the password. A token is the HMAC-SHA256 of
 * the peer id under a key the node draws at start-up, so the node checks a token without storing
 * one per peer, and nobody without the key can make one. A real node would hand each peer its token
 * out of band (or use TLS client certificates); here the swarm lives in the same process and asks
 * for them.
 */
public final class SwarmTokens {

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  private SwarmTokens(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /** Tokens under a fresh random key. */
  public static SwarmTokens random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new SwarmTokens(key);
  }

  /** The token of a peer id. */
  public String tokenFor(String peerId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(peerId));
  }

  /** Whether {@code token} is the token of {@code peerId}, compared in constant time. */
  public boolean verify(String peerId, String token) {
    byte[] sent;
    try {
      sent = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(peerId), sent);
  }

  /** The {@code Authorization} header value a peer sends on its handshake. */
  public String authorization(String peerId) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((peerId + ":" + tokenFor(peerId)).getBytes(StandardCharsets.UTF_8));
  }

  private byte[] mac(String peerId) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(peerId.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "SwarmTokens[HMAC-SHA256]"; // never the key
  }
}
