package io.connmgr.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.ConnectionManager;
import io.connmgr.autoconfigure.Connections;
import io.connmgr.autoconfigure.ConnmgrAutoConfiguration;
import io.connmgr.metrics.ConnectionManagerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ConnmgrMetricsAutoConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  ConnmgrAutoConfiguration.class,
                  ConnmgrMetricsAutoConfiguration.class));

  @Test
  void bindsTheManagersMetersToBootsRegistry() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(ConnectionManagerMetrics.class);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          new Connections(context.getBean(ConnectionManager.class)).open("a");
          assertThat(
                  registry.get("connmgr.connections").tag("direction", "inbound").gauge().value())
              .isEqualTo(1);
          assertThat(registry.get("connmgr.watermark").tag("level", "high").gauge().value())
              .isEqualTo(900);
        });
  }

  @Test
  void recordsTheScoreDistributionsUnlessTurnedOff() {
    runner.run(
        context ->
            assertThat(context.getBean(MeterRegistry.class).find("connmgr.scores").summaries())
                .hasSize(2));
    runner
        .withPropertyValues("connmgr.metrics.score-distributions=false")
        .run(
            context -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(registry.find("connmgr.scores").meters()).isEmpty();
              assertThat(registry.find("connmgr.round.connections").meters()).isEmpty();
              assertThat(registry.find("connmgr.evictions").counters()).isNotEmpty();
            });
  }

  @Test
  void backsOffWithoutMicrometer() {
    runner
        .withClassLoader(new FilteredClassLoader(MeterBinder.class))
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(ConnectionManagerMetrics.class)
                    .hasSingleBean(ConnectionManager.class));
  }

  @Test
  void backsOffWhenConnmgrIsDisabled() {
    runner
        .withPropertyValues("connmgr.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ConnectionManagerMetrics.class));
  }

  @Test
  void anApplicationsOwnMetricsWin() {
    runner
        .withBean(
            "ownMetrics",
            ConnectionManagerMetrics.class,
            () ->
                new ConnectionManagerMetrics(
                    ConnectionManager.builder()
                        .maintenanceInterval(java.time.Duration.ZERO)
                        .build()))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(ConnectionManagerMetrics.class)
                    .hasBean("ownMetrics"));
  }
}
