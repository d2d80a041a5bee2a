package io.connmgr.autoconfigure;

import io.connmgr.PeerIdentityResolver;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link PeerIdentityResolver} the transport adapters share: the standard one unless the
 * application declares its own. Imported by each adapter's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
public final class PeerIdentityResolverConfiguration {

  @Bean
  @ConditionalOnMissingBean
  PeerIdentityResolver peerIdentityResolver() {
    return PeerIdentityResolver.standard();
  }
}
