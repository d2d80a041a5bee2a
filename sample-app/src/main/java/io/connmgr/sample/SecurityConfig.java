package io.connmgr.sample;

import static org.springframework.security.config.Customizer.withDefaults;

import io.connmgr.console.ConsoleProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
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
 * Who may do what: swarm peers authenticate their {@code /p2p} handshake with HTTP Basic and a
 * per-peer token ({@link SwarmTokens}), so the starter's identity resolver names them by their
 * principal, a verified id that the static peers' pins apply to; a client without a token may
 * still connect, named by the {@code ?peer=} it claims as an unverified id that no pin covers and
 * every cap limits. Health is public; the console, the other actuator endpoints and everything
 * else need the admin, who has role {@code CONNMGR_ADMIN}. Browsers log in with a form, scripts
 * with HTTP Basic. CSRF protection stays on for browser sessions, so the console's actions carry
 * a token; a request that authenticates in its {@code Authorization} header and has no session
 * cookie is exempt, so {@code curl -u admin:PASS -X POST .../actuator/connmgr} works.
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
  SwarmTokens swarmTokens() {
    return SwarmTokens.random();
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, ConsoleProperties console,
      UserDetailsService users, PasswordEncoder encoder, SwarmTokens tokens) throws Exception {
    DaoAuthenticationProvider admins = new DaoAuthenticationProvider(users);
    admins.setPasswordEncoder(encoder);
    http.authenticationManager(new ProviderManager(
            new SwarmPeerAuthenticationProvider(tokens), admins))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(NodeWebSocketConfig.PATH).permitAll()
            .requestMatchers(EndpointRequest.to("health")).permitAll()
            .requestMatchers("/error").permitAll()
            .anyRequest().hasRole(AdminCredentials.ROLE))
        .formLogin(form -> form.defaultSuccessUrl(console.getPath()))
        .httpBasic(withDefaults())
        // a script that authenticates in the Authorization header and carries no session
        // cookie cannot be forged by another site: no CSRF token for it (curl -u admin:...);
        // browser sessions keep CSRF protection
        .csrf(csrf -> csrf.ignoringRequestMatchers(request ->
            request.getHeader(HttpHeaders.AUTHORIZATION) != null
                && request.getRequestedSessionId() == null));
    return http.build();
  }
}
