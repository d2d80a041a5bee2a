package io.connmgr.console;

import io.connmgr.ConnectionManager;
import java.time.Duration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The application the console tests run: a manager with no background upkeep (rounds run when a
 * test says), and three users: an admin, a viewer and a user with neither console role.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ConsoleTestApp {

  static final String PASSWORD = "secret-password";

  @Bean(destroyMethod = "close")
  ConnectionManager connectionManager() {
    return ConnectionManager.builder()
        .lowWater(5)
        .highWater(10)
        .gracePeriod(Duration.ZERO)
        .silencePeriod(Duration.ZERO)
        .maintenanceInterval(Duration.ZERO)
        .scorerBudget(Duration.ofMillis(500)) // the tests are about the console, not budgets
        .build();
  }

  @Bean
  Swarm swarm(ConnectionManager manager) {
    return new Swarm(manager);
  }

  @Bean
  InMemoryUserDetailsManager users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("admin").password("{noop}" + PASSWORD).roles("CONNMGR_ADMIN").build(),
        User.withUsername("viewer").password("{noop}" + PASSWORD).roles("CONNMGR_VIEWER").build(),
        User.withUsername("stranger").password("{noop}" + PASSWORD).roles("USER").build());
  }
}
