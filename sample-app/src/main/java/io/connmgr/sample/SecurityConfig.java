package io.connmgr.sample;

import static org.springframework.security.config.Customizer.withDefaults;

import io.connmgr.console.ConsoleProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Who may do what: swarm peers reach {@code /p2p} without a login (a real node would authenticate
 * them, and the starter's resolver would then name them by principal); health is public; the
 * console, the other actuator endpoints and everything else need the admin, who has role {@code
 * CONNMGR_ADMIN}. Browsers log in with a form, scripts with HTTP Basic. CSRF protection stays on,
 * so the console's actions (POSTs) carry a token.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

  /** The root of the node sends a browser to the console. */
  @Bean
  WebMvcConfigurer rootToConsole(ConsoleProperties console) {
    return new WebMvcConfigurer() {
      @Override
      public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", console.getPath());
      }
    };
  }

  @Bean
  AdminCredentials adminCredentials(SampleProperties properties) {
    return AdminCredentials.from(properties.admin());
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  UserDetailsService users(AdminCredentials admin, PasswordEncoder encoder) {
    return new InMemoryUserDetailsManager(User.withUsername(admin.username())
        .password(encoder.encode(admin.password()))
        .roles(AdminCredentials.ROLE)
        .build());
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, ConsoleProperties console)
      throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers(NodeWebSocketConfig.PATH).permitAll()
            .requestMatchers(EndpointRequest.to("health")).permitAll()
            .requestMatchers("/error").permitAll()
            .anyRequest().hasRole(AdminCredentials.ROLE))
        .formLogin(form -> form.defaultSuccessUrl(console.getPath()))
        .httpBasic(withDefaults());
    return http.build();
  }
}
