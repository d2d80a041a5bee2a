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
 * console is for the admin (role {@code CONNMGR_ADMIN}, who may act) and the viewer (role {@code
 * CONNMGR_VIEWER}, who may only look); the other actuator endpoints and everything else need the
 * admin. Browsers log in with the console's login form, scripts with HTTP Basic. CSRF protection
 * stays on, so the console's actions (POSTs) carry a token.
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
  Credentials adminCredentials(SampleProperties properties) {
    return Credentials.from(properties.admin().username(), properties.admin().password());
  }

  @Bean
  Credentials viewerCredentials(SampleProperties properties) {
    return Credentials.from(properties.viewer().username(), properties.viewer().password());
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  UserDetailsService users(Credentials adminCredentials, Credentials viewerCredentials,
      PasswordEncoder encoder) {
    return new InMemoryUserDetailsManager(
        User.withUsername(adminCredentials.username())
            .password(encoder.encode(adminCredentials.password()))
            .roles(Credentials.ROLE)
            .build(),
        User.withUsername(viewerCredentials.username())
            .password(encoder.encode(viewerCredentials.password()))
            .roles(Credentials.VIEWER_ROLE)
            .build());
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, ConsoleProperties console)
      throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers(NodeWebSocketConfig.PATH).permitAll()
            .requestMatchers(EndpointRequest.to("health")).permitAll()
            .requestMatchers("/error", console.getPath() + "/assets/**").permitAll()
            .requestMatchers(console.getPath(), console.getPath() + "/**")
            .hasAnyRole(Credentials.ROLE, Credentials.VIEWER_ROLE)
            .anyRequest().hasRole(Credentials.ROLE))
        // the console's own login page, styled like the console; it posts back to the same path
        .formLogin(form -> form.loginPage(console.getPath() + "/login").permitAll()
            .defaultSuccessUrl(console.getPath()))
        .httpBasic(withDefaults());
    return http.build();
  }
}
