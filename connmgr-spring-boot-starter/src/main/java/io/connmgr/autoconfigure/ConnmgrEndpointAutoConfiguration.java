package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.actuate.ConnmgrEndpoint;
import io.connmgr.actuate.ConnmgrEndpointWebExtension;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@code connmgr} Actuator endpoint when Actuator is present and the endpoint
 * is available (exposed, and not switched off by {@code management.endpoint.connmgr.access}).
 */
@AutoConfiguration(after = ConnmgrAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(ConnectionManager.class)
@ConditionalOnAvailableEndpoint(ConnmgrEndpoint.class)
public final class ConnmgrEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ConnmgrEndpoint connmgrEndpoint(ConnectionManager connectionManager) {
    return new ConnmgrEndpoint(connectionManager);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(ConnmgrEndpoint.class)
  @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
  ConnmgrEndpointWebExtension connmgrEndpointWebExtension(ConnmgrEndpoint connmgrEndpoint) {
    return new ConnmgrEndpointWebExtension(connmgrEndpoint);
  }
}
