package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures a {@link ConnectionManager} from {@code connmgr.*} properties, unless the
 * application defines its own; runs its upkeep with the context; registers every scorer, veto and
 * listener bean with whichever manager the context has. {@code connmgr.enabled=false} turns all
 * of it off.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "connmgr.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConnmgrProperties.class)
public final class ConnmgrAutoConfiguration {

  @Bean
  static ConnmgrBeanRegistrar connmgrBeanRegistrar() {
    return new ConnmgrBeanRegistrar();
  }

  /** The manager this starter builds, with its lifecycle; skipped if the application has one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(ConnectionManager.class)
  static final class ManagerConfiguration {

    @Bean
    ConnectionManager connectionManager(ConnmgrProperties properties,
        ObjectProvider<ConnectionManagerBuilderCustomizer> customizers) {
      ConnectionManager.Builder builder = properties.applyTo(ConnectionManager.builder());
      customizers.orderedStream().forEach(c -> c.customize(builder));
      ConnectionManager manager = builder.build();
      for (PeerId peer : properties.staticPeerIds()) {
        manager.pin(peer);
      }
      return manager;
    }

    @Bean
    @ConditionalOnProperty("connmgr.pins-file")
    PinsFile connmgrPinsFile(ConnectionManager connectionManager, ConnmgrProperties properties) {
      PinsFile pins = new PinsFile(connectionManager,
          java.util.Objects.requireNonNull(properties.pinsFile(), "connmgr.pins-file"));
      pins.load();
      return pins;
    }

    @Bean
    @ConditionalOnMissingBean
    ConnectionManagerLifecycle connectionManagerLifecycle(ConnectionManager connectionManager,
        ConnmgrProperties properties) {
      return new ConnectionManagerLifecycle(connectionManager, properties.maintenanceInterval(),
          properties.closeOnShutdown());
    }
  }
}
