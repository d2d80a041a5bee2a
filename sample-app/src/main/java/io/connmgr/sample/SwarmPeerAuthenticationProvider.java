package io.connmgr.sample;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Authenticates swarm peers by their {@link SwarmTokens} token (HTTP Basic: peer id and token). A
 * peer gets the role {@value #ROLE} and nothing else: it may open {@code /p2p}, never the console
 * or the actuator. Credentials that are no valid peer token are left to the next provider (the
 * admin's login).
 */
final class SwarmPeerAuthenticationProvider implements AuthenticationProvider {

  /** The role of an authenticated swarm peer. */
  static final String ROLE = "SWARM_PEER";

  private final SwarmTokens tokens;

  SwarmPeerAuthenticationProvider(SwarmTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public @Nullable Authentication authenticate(Authentication authentication) {
    String peer = authentication.getName();
    Object credentials = authentication.getCredentials();
    if (peer == null || !(credentials instanceof String token) || !tokens.verify(peer, token)) {
      return null;
    }
    return UsernamePasswordAuthenticationToken.authenticated(
        peer, null, List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
