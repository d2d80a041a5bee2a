package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.actuate.ConnmgrHealthIndicator;
import io.connmgr.actuate.RecentRounds;
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
@AutoConfiguration(after = ConnmgrAutoConfiguration.class,
    before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(ConnectionManager.class)
@ConditionalOnEnabledHealthIndicator("connmgr")
public final class ConnmgrHealthContributorAutoConfiguration {

  /** How many round reports health looks back over. */
  static final int RECENT_ROUNDS = 5;

  /** A listener bean, so the bean registrar attaches it to the manager. */
  @Bean
  @ConditionalOnMissingBean
  RecentRounds connmgrRecentRounds() {
    return new RecentRounds(RECENT_ROUNDS);
  }

  @Bean
  @ConditionalOnMissingBean(name = "connmgrHealthIndicator")
  ConnmgrHealthIndicator connmgrHealthIndicator(ConnectionManager connectionManager,
      RecentRounds recentRounds) {
    return new ConnmgrHealthIndicator(connectionManager, recentRounds);
  }
}
