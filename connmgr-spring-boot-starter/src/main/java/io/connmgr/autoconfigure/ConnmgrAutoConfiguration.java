package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.InvalidSettingsException;
import io.connmgr.PeerId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;

/**
 * Auto-configures a {@link ConnectionManager} from {@code connmgr.*} properties, unless the
 * application defines its own, with its upkeep on Spring's task scheduler; registers every scorer,
 * veto and listener bean with whichever manager the context has ({@link CallbackBeans}). {@code
 * connmgr.enabled=false} turns all of it off.
 */
@AutoConfiguration(after = TaskSchedulingAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "connmgr.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConnmgrProperties.class)
public final class ConnmgrAutoConfiguration {

  @Bean
  CallbackBeans connmgrCallbackBeans(
      ConfigurableListableBeanFactory beanFactory, ObjectProvider<ConnectionManager> manager) {
    return new CallbackBeans(beanFactory, manager);
  }

  /** The manager this starter builds, with its lifecycle; skipped if the application has one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(ConnectionManager.class)
  static final class ManagerConfiguration {

    /**
     * The manager, built from the properties and then the customizers. Every problem is reported at
     * once: ids the builder cannot take with every violation it finds, else its {@link
     * InvalidSettingsException}.
     */
    @Bean
    ConnectionManager connectionManager(
        ConnmgrProperties properties,
        ObjectProvider<ConnectionManagerBuilderCustomizer> customizers,
        TaskSchedulerUpkeep connmgrUpkeep) {
      PropertiesMapping mapping = new PropertiesMapping(properties);
      ConnectionManager.Builder builder =
          mapping.applyTo(ConnectionManager.builder()).scheduler(connmgrUpkeep);
      customizers.orderedStream().forEach(c -> c.customize(builder));
      List<InvalidSettingsException.Violation> violations = builder.validate();
      List<InvalidConnmgrPropertiesException.Violation> unrecordable = mapping.unrecordable();
      if (!unrecordable.isEmpty()) {
        List<InvalidConnmgrPropertiesException.Violation> all = new ArrayList<>(unrecordable);
        all.addAll(PropertiesMapping.asProperties(violations));
        throw new InvalidConnmgrPropertiesException(all);
      }
      if (!violations.isEmpty()) {
        throw new InvalidSettingsException(violations);
      }
      ConnectionManager manager = builder.build();
      for (PeerId peer : properties.staticPeerIds()) {
        manager.pin(peer);
      }
      return manager;
    }

    @Bean
    @ConditionalOnProperty("connmgr.pins-file")
    PinsFile connmgrPinsFile(ConnectionManager connectionManager, ConnmgrProperties properties) {
      Path file = properties.pinsFile();
      if (file == null || file.toString().isBlank()) {
        throw new InvalidConnmgrPropertiesException(
            List.of(
                new InvalidConnmgrPropertiesException.Violation(
                    "connmgr.pins-file",
                    "",
                    "must name a file, such as /var/lib/app/connmgr-pins.txt; leave it unset to"
                        + " keep no pins file")));
      }
      PinsFile pins = new PinsFile(connectionManager, file, Set.copyOf(properties.staticPeerIds()));
      pins.load();
      return pins;
    }

    @Bean
    TaskSchedulerUpkeep connmgrUpkeep(
        @Qualifier("taskScheduler") Optional<TaskScheduler> taskScheduler,
        ObjectProvider<ThreadPoolTaskSchedulerBuilder> builder,
        ConfigurableApplicationContext context) {
      if (taskScheduler.isPresent()) {
        return TaskSchedulerUpkeep.on(taskScheduler.get(), context::isClosed);
      }
      return TaskSchedulerUpkeep.onOwn(
          builder
              .getIfAvailable(ThreadPoolTaskSchedulerBuilder::new)
              .threadNamePrefix(TaskSchedulerUpkeep.OWN_THREAD_PREFIX)
              .build(),
          context::isClosed);
    }

    @Bean
    @ConditionalOnMissingBean
    ConnectionManagerLifecycle connectionManagerLifecycle(
        ConnectionManager connectionManager, ConnmgrProperties properties) {
      return new ConnectionManagerLifecycle(
          connectionManager, new PropertiesMapping(properties).closeOnShutdown());
    }
  }
}
