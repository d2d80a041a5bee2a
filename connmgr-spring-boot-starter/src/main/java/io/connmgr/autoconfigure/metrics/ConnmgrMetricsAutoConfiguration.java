package io.connmgr.autoconfigure.metrics;

import io.connmgr.ConnectionManager;
import io.connmgr.audit.AuditTrail;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.autoconfigure.ConnmgrOperatorAutoConfiguration;
import io.connmgr.metrics.ConnectionManagerMetrics;
import io.connmgr.metrics.OperatorActionMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures {@link ConnectionManagerMetrics}, and {@link OperatorActionMetrics} for the audit
 * trail, when Micrometer is on the classpath; Spring Boot binds it to every meter registry it
 * manages. The meters go when the context closes. {@code connmgr.metrics.score-distributions=false}
 * leaves the score distributions out ({@link ConnmgrMetricsProperties}).
 */
@AutoConfiguration(after = {ConnmgrAutoConfiguration.class, ConnmgrOperatorAutoConfiguration.class})
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(ConnectionManager.class)
@EnableConfigurationProperties(ConnmgrMetricsProperties.class)
public final class ConnmgrMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ConnectionManagerMetrics connectionManagerMetrics(
      ConnectionManager connectionManager, ConnmgrMetricsProperties properties) {
    return new ConnectionManagerMetrics(
        connectionManager, Tags.empty(), properties.scoreDistributions());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(AuditTrail.class)
  OperatorActionMetrics connmgrOperatorActionMetrics(AuditTrail auditTrail) {
    return new OperatorActionMetrics(auditTrail);
  }
}
