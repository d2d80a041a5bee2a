package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.actuate.ConnmgrEndpoint;
import io.connmgr.actuate.ConnmgrEndpointWebExtension;
import io.connmgr.actuate.WriteAccess;
import io.connmgr.audit.OperatorActions;
import io.connmgr.web.RequestBodyLimitFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Auto-configures the {@code connmgr} Actuator endpoint when Actuator is present and the endpoint
 * is available (exposed, and not switched off by {@code management.endpoint.connmgr.access}). Its
 * writes are off until {@code management.endpoint.connmgr.access=unrestricted}; then, with Spring
 * Security present, they need {@code connmgr.operator.role}. In a servlet application a write body
 * over {@value ConnmgrEndpoint#MAX_BODY_BYTES} bytes is refused with 413 before anything parses it.
 */
@AutoConfiguration(after = {ConnmgrAutoConfiguration.class, ConnmgrOperatorAutoConfiguration.class})
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean({ConnectionManager.class, OperatorActions.class})
@ConditionalOnAvailableEndpoint(ConnmgrEndpoint.class)
public final class ConnmgrEndpointAutoConfiguration {

  private static final Log LOG = LogFactory.getLog(ConnmgrEndpointAutoConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  ConnmgrEndpoint connmgrEndpoint(
      ConnectionManager connectionManager,
      OperatorActions operatorActions,
      OperatorProperties operatorProperties,
      Environment environment) {
    WriteAccess access = WriteAccess.forRole(operatorProperties.role());
    if (!access.checksRoles() && writesUnlocked(environment)) {
      LOG.warn(
          "The connmgr endpoint's writes (trim, pin, unpin, evict) are open to whoever"
              + " reaches it: its access resolves to unrestricted (from"
              + " management.endpoint.connmgr.access, management.endpoints.access.default or a"
              + " deprecated enabled key) and Spring Security is absent. Put it behind something"
              + " that authenticates.");
    }
    return new ConnmgrEndpoint(connectionManager, operatorActions, access);
  }

  /**
   * Whether the endpoint's writes are mapped: its access as Spring Boot resolves it, from every
   * property that can set it (the endpoint's own, the default for all endpoints, their deprecated
   * enabled keys, capped by {@code management.endpoints.access.max-permitted}).
   */
  private static boolean writesUnlocked(Environment environment) {
    return new PropertiesEndpointAccessResolver(environment)
            .accessFor(EndpointId.of(ConnmgrEndpoint.ID), Access.READ_ONLY)
        == Access.UNRESTRICTED;
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(ConnmgrEndpoint.class)
  @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
  ConnmgrEndpointWebExtension connmgrEndpointWebExtension(ConnmgrEndpoint connmgrEndpoint) {
    return new ConnmgrEndpointWebExtension(connmgrEndpoint);
  }

  /** In a servlet application: write bodies over 4 KiB get 413 before anything parses them. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "jakarta.servlet.Filter")
  static final class BodyLimitConfiguration {

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> connmgrEndpointBodyLimit(
        Environment environment) {
      String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
      String path =
          (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
              + "/"
              + ConnmgrEndpoint.ID;
      FilterRegistrationBean<RequestBodyLimitFilter> registration =
          new FilterRegistrationBean<>(new RequestBodyLimitFilter(ConnmgrEndpoint.MAX_BODY_BYTES));
      registration.setName("connmgrEndpointBodyLimit");
      registration.addUrlPatterns(path, path + "/*");
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20); // before any security filter
      return registration;
    }
  }
}
