package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.OperatorActions;
import io.connmgr.audit.PinLimit;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the operator's side of the manager: the {@link AuditTrail} and the {@link
 * OperatorActions} the console and the actuator endpoint act through (bounded, with a pins file, by
 * {@link PinsFile#MAX_BYTES}).
 */
@AutoConfiguration(after = ConnmgrAutoConfiguration.class)
@ConditionalOnBean(ConnectionManager.class)
@EnableConfigurationProperties(OperatorProperties.class)
public final class ConnmgrOperatorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  AuditTrail connmgrAuditTrail(OperatorProperties properties) {
    return new AuditTrail(properties.auditSize(), Clock.systemUTC());
  }

  @Bean
  @ConditionalOnMissingBean
  OperatorActions connmgrOperatorActions(
      ConnectionManager connectionManager,
      AuditTrail auditTrail,
      ObjectProvider<PinsFile> pinsFile) {
    PinLimit limit = pinsFile.getIfAvailable();
    return new OperatorActions(
        connectionManager, auditTrail, limit == null ? PinLimit.NONE : limit);
  }
}
