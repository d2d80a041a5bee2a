package io.connmgr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.actuate.ConnmgrHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ConnmgrHealthContributorAutoConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ConnmgrAutoConfiguration.class, ConnmgrHealthContributorAutoConfiguration.class));

  @Test
  void registersTheConnmgrHealthIndicator() {
    runner.run(
        context -> {
          assertThat(context)
              .hasSingleBean(ConnmgrHealthIndicator.class)
              .hasBean("connmgrHealthIndicator");
          assertThat(context.getBean(ConnmgrHealthIndicator.class).health().getStatus())
              .isEqualTo(Status.UP);
        });
  }

  @Test
  void healthSeesTheRoundsThroughTheManagersStatistics() {
    runner
        .withPropertyValues(
            "connmgr.low-water=1", "connmgr.high-water=1", "connmgr.grace-period=0s")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              Connections connections = new Connections(cm);
              for (String peer : new String[] {"a", "b", "c"}) {
                connections.open(peer);
                cm.pin(PeerId.of(peer));
              }
              cm.trim();
              assertThat(cm.stats().recentRounds()).hasSize(1);
              assertThat(context.getBean(ConnmgrHealthIndicator.class).health().getDetails())
                  .containsKey("stuckAboveHighWater");
            });
  }

  @Test
  void canBeSwitchedOff() {
    runner
        .withPropertyValues("management.health.connmgr.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ConnmgrHealthIndicator.class));
  }

  @Test
  void switchedOffWithAllDefaultIndicators() {
    runner
        .withPropertyValues("management.health.defaults.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ConnmgrHealthIndicator.class));
  }

  @Test
  void backsOffWithoutSpringBootHealth() {
    runner
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(
            context ->
                assertThat(context).doesNotHaveBean(ConnmgrHealthIndicator.class).hasNotFailed());
  }

  @Test
  void backsOffWhenConnmgrIsDisabled() {
    runner
        .withPropertyValues("connmgr.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ConnmgrHealthIndicator.class));
  }
}
