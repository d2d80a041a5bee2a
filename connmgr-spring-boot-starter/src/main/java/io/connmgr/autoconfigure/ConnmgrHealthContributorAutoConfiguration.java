package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.actuate.ConnmgrHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@code connmgr} health indicator when Spring Boot's health support is
 * present; {@code management.health.connmgr.enabled=false} turns it off. It never joins the
 * liveness group; add it to readiness explicitly.
 */
@AutoConfiguration(
    after = ConnmgrAutoConfiguration.class,
    before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(ConnectionManager.class)
@ConditionalOnEnabledHealthIndicator("connmgr")
public final class ConnmgrHealthContributorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "connmgrHealthIndicator")
  ConnmgrHealthIndicator connmgrHealthIndicator(ConnectionManager connectionManager) {
    return new ConnmgrHealthIndicator(connectionManager);
  }
}
